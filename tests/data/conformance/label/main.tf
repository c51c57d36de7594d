# Idioms of cloudposse/terraform-null-label (the `context` pattern used by
# every cloudposse module, e.g. terraform-aws-ecs-alb-service-task): see
# ../README.md.
variable "context" {
  type = any
  default = {
    enabled             = true
    namespace           = "eg"
    tenant              = null
    environment         = "ue1"
    stage               = "prod"
    name                = null
    delimiter           = null
    attributes          = []
    tags                = {}
    label_order         = []
    regex_replace_chars = null
    id_length_limit     = null
    label_key_case      = null
    label_value_case    = null
  }

  validation {
    condition     = lookup(var.context, "label_key_case", null) == null ? true : contains(["lower", "title", "upper"], var.context["label_key_case"])
    error_message = "Allowed values: `lower`, `title`, `upper`."
  }
}

variable "name" {
  type    = string
  default = "App_Service!"
}

variable "attributes" {
  type    = list(string)
  default = ["blue", "", "blue"]
}

variable "tags" {
  type    = map(string)
  default = { Owner = "platform" }
}

variable "id_length_limit" {
  type    = number
  default = null

  validation {
    condition     = var.id_length_limit == null ? true : var.id_length_limit >= 6 || var.id_length_limit == 0
    error_message = "The id_length_limit must be >= 6 if supplied (not null), or 0 for unlimited length."
  }
}

locals {
  defaults = {
    label_order         = ["namespace", "environment", "stage", "name", "attributes"]
    regex_replace_chars = "/[^-a-zA-Z0-9]/"
    delimiter           = "-"
    replacement         = ""
    id_length_limit     = 0
    id_hash_length      = 5
    label_key_case      = "title"
    label_value_case    = "lower"
  }

  input = {
    enabled             = var.context.enabled
    namespace           = var.context.namespace
    environment         = var.context.environment
    stage               = var.context.stage
    name                = var.name == null ? var.context.name : var.name
    delimiter           = var.context.delimiter
    attributes          = compact(distinct(concat(coalesce(var.context.attributes, []), coalesce(var.attributes, []))))
    tags                = merge(var.context.tags, var.tags)
    label_order         = var.context.label_order
    regex_replace_chars = var.context.regex_replace_chars
    id_length_limit     = var.id_length_limit == null ? var.context.id_length_limit : var.id_length_limit
    label_key_case      = var.context.label_key_case
    label_value_case    = var.context.label_value_case
  }

  enabled             = local.input.enabled
  regex_replace_chars = coalesce(local.input.regex_replace_chars, local.defaults.regex_replace_chars)
  string_label_names  = ["namespace", "environment", "stage", "name"]
  normalized_labels = { for k in local.string_label_names : k =>
    local.input[k] == null ? "" : replace(local.input[k], local.regex_replace_chars, local.defaults.replacement)
  }
  formatted_labels = { for k in local.string_label_names : k => local.label_value_case == "none" ? local.normalized_labels[k] :
    local.label_value_case == "title" ? title(lower(local.normalized_labels[k])) :
    local.label_value_case == "upper" ? upper(local.normalized_labels[k]) : lower(local.normalized_labels[k])
  }

  attributes = compact(distinct([for v in local.input.attributes : (local.label_value_case == "none" ? replace(v, local.regex_replace_chars, local.defaults.replacement) :
    local.label_value_case == "title" ? title(lower(replace(v, local.regex_replace_chars, local.defaults.replacement))) :
    local.label_value_case == "upper" ? upper(replace(v, local.regex_replace_chars, local.defaults.replacement)) :
    lower(replace(v, local.regex_replace_chars, local.defaults.replacement)))
  ]))

  label_value_case = local.input.label_value_case == null ? local.defaults.label_value_case : local.input.label_value_case
  label_key_case   = local.input.label_key_case == null ? local.defaults.label_key_case : local.input.label_key_case
  delimiter        = local.input.delimiter == null ? local.defaults.delimiter : local.input.delimiter
  label_order      = length(local.input.label_order) > 0 ? local.input.label_order : local.defaults.label_order
  id_length_limit  = local.input.id_length_limit == null ? local.defaults.id_length_limit : local.input.id_length_limit

  id_context = {
    namespace   = local.formatted_labels["namespace"]
    environment = local.formatted_labels["environment"]
    stage       = local.formatted_labels["stage"]
    name        = local.formatted_labels["name"]
    attributes  = join(local.delimiter, local.attributes)
  }

  labels  = [for l in local.label_order : local.id_context[l] if length(local.id_context[l]) > 0]
  id_full = join(local.delimiter, local.labels)

  tags_context = {
    namespace   = local.formatted_labels["namespace"]
    environment = local.formatted_labels["environment"]
    stage       = local.formatted_labels["stage"]
    name        = local.id_full
    attributes  = local.id_context.attributes
  }
  generated_tags = {
    for l in setsubtract(keys(local.tags_context), keys(local.input.tags)) :
    local.label_key_case == "upper" ? upper(l) : (
      local.label_key_case == "lower" ? lower(l) : title(lower(l))
    ) => local.tags_context[l] if length(local.tags_context[l]) > 0
  }
  tags = merge(local.generated_tags, local.input.tags)

  id_truncated_length_limit = local.id_length_limit - (local.defaults.id_hash_length + length(local.delimiter))
  id_truncated              = local.id_truncated_length_limit <= 0 ? "" : "${trimsuffix(substr(local.id_full, 0, local.id_truncated_length_limit), local.delimiter)}${local.delimiter}"
  id_hash_plus              = "${md5(local.id_full)}qrstuvwxyz"
  id_hash_case              = local.label_value_case == "title" ? title(local.id_hash_plus) : local.label_value_case == "upper" ? upper(local.id_hash_plus) : local.id_hash_plus
  id_hash                   = replace(local.id_hash_case, local.regex_replace_chars, local.defaults.replacement)
  id_short                  = substr("${local.id_truncated}${local.id_hash}", 0, local.id_length_limit)
  id                        = local.id_length_limit != 0 && length(local.id_full) > local.id_length_limit ? local.id_short : local.id_full
}

resource "aws_cloudwatch_log_group" "this" {
  count = local.enabled ? 1 : 0

  name = "/ecs/${local.id}"
  tags = local.tags
}

output "id" {
  value = local.enabled ? local.id : ""
}

output "tags" {
  value = local.enabled ? local.tags : {}
}

output "conformance" {
  value = "ok"

  precondition {
    condition     = local.id == "eg-ue1-prod-appservice-blue"
    error_message = "id = ${local.id}"
  }
  precondition {
    condition     = local.tags == { Attributes = "blue", Environment = "ue1", Name = "eg-ue1-prod-appservice-blue", Namespace = "eg", Owner = "platform", Stage = "prod" }
    error_message = "tags = ${jsonencode(local.tags)}"
  }
  precondition {
    condition     = length(local.id_hash_plus) == 42 && local.id_truncated_length_limit == -6
    error_message = "hash ${local.id_hash_plus}"
  }
}
