/* The command table as one X-macro list: name, function, summary, hidden.
 * Add a command: write cmd_<name>.c with int cmd_<name>(struct rc_cli *, int,
 * char **) and add its row here, in the order `recon -help` lists them. */
#ifndef RC_COMMANDS_H
#define RC_COMMANDS_H

#define RC_CLI_COMMANDS(X)                                                          \
  X("plan", cmd_plan, "Show the changes required by the current configuration", false) \
  X("apply", cmd_apply, "Create or update infrastructure", false) \
  X("destroy", cmd_destroy, "Destroy previously-created infrastructure", false) \
  X("show", cmd_show, "Show a saved plan or the current state", false) \
  X("output", cmd_output, "Show output values from the state", false) \
  X("refresh", cmd_refresh, "Update the state to match remote systems", false) \
  X("import", cmd_import, "Associate existing infrastructure with a recon resource", false) \
  X("state", cmd_state, "Advanced state management", false) \
  X("force-unlock", cmd_force_unlock, "Release a stuck lock on the current workspace", false) \
  X("version", cmd_version, "Show the current recon version", false) \
  X("validate", cmd_validate, "Check whether the configuration is valid", false) \
  X("graph", cmd_graph, "Print the resource graph in Graphviz DOT", false) \
  X("fmt", cmd_fmt, "Reformat your configuration in the standard style", false) \
  X("debug", cmd_debug, "Debugging helpers", true)

#endif
