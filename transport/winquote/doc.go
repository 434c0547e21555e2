// Package winquote builds the exec request strings sent to a Windows node running
// Microsoft's OpenSSH Server (Win32-OpenSSH), so that exactly one program, named by its
// absolute path, receives exactly the given arguments. Nothing here runs anything; it is
// pure string work and builds on every OS.
//
// What the server does with the string (PowerShell/openssh-portable,
// contrib/win32/win32compat/w32-doexec.c, do_exec_windows, no pty):
//
//   - DefaultShell cmd.exe (a shell path containing "system32\cmd", the default): one
//     command line `"<shell>" /c "<request>"`, the request inserted with no escaping.
//     cmd.exe then removes the first and the last quote (cmd /?, /C rules) and parses
//     the rest as a command line. CmdLine builds for this.
//   - DefaultShell PowerShell (a path containing "powershell"): argv {shell, "-c",
//     request} through posix_spawn, whose argv-to-command-line conversion
//     (contrib/win32/win32compat/misc.c, build_commandline_string) wraps an element
//     that contains a space, and does not start with a single quote, in double quotes,
//     puts a backslash before each double quote and doubles backslashes that precede
//     a double quote (but not those before the added closing quote).
//     PowerShellLine builds for this.
//
// build_exec_command (misc.c) rewrites requests that begin with "internal-sftp",
// "sftp-server" or "scp"; CmdLine's requests begin with a double quote and
// PowerShellLine's with "&", so neither is ever rewritten.
//
// docs/windows-transport.md lists every rule with its source and what is unconfirmed.
package winquote
