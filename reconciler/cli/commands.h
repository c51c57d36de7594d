/* The command table as one X-macro list: name, function, summary, hidden.
 * Add a command: write cmd_<name>.c with int cmd_<name>(struct rc_cli *, int,
 * char **) and add its row here, in the order `recon -help` lists them. */
#ifndef RC_COMMANDS_H
#define RC_COMMANDS_H

#define RC_CLI_COMMANDS(X)                                                          \
  X("version", cmd_version, "Show the current recon version", false) \
  X("fmt", cmd_fmt, "Reformat your configuration in the standard style", false) \
  X("debug", cmd_debug, "Debugging helpers", true)

#endif
