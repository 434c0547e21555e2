// Package wincmd emulates what a Windows node running Microsoft's OpenSSH (Win32-OpenSSH) does
// with an SSH "exec" request when its DefaultShell is cmd.exe, the default: it runs the one
// command line
//
//	"C:\Windows\system32\cmd.exe" /c "<command>"
//
// with <command> inserted unescaped (PowerShell/openssh-portable,
// contrib/win32/win32compat/w32-doexec.c, do_exec_windows: sprintf_s("%s %s \"%s\"", shell,
// "/c", exec_command)), and cmd.exe then applies, in order:
//
//  1. the node's AutoRun command, when its registry sets one (processor.go, shell.go);
//  2. the /c quote rule of `cmd /?` (slashc.go);
//  3. %VAR% expansion in command-line context (expand.go);
//  4. the ^ escape, the quote state and the operators & && || | < > ( (parse.go);
//  5. !VAR! expansion, when the node's registry turns delayed expansion on (delayed.go);
//  6. the command token: a builtin, or a program found as Windows finds it, else
//     "'X' is not recognized as an internal or external command," and exit status 9009
//     (resolve.go);
//  7. the program splits its command line by the Microsoft C runtime / CommandLineToArgvW
//     rules (argv.go).
//
// The tool must send exactly one program by absolute path with its arguments (issue 17: "no
// builtins, no &/| chains, no redirections"), so the emulator REFUSES, loudly and with exit
// status 1, everything a real cmd.exe would treat specially beyond that (operators, blocks,
// builtins, batch files, expansion modifiers): a tool bug then fails a test instead of doing on
// the lab what Windows would do differently. The console output of the programs it runs takes
// CRLF line ends and the node's code page (console.go).
package wincmd
