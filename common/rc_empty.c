/* placeholder translation unit for a layer with no sources yet */
typedef int rc_empty_translation_unit;
