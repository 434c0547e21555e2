package config

// validateStatusFileOnWindows checks what a status_file block needs on a node reached with a
// Windows shell (cmd, powershell), where files travel over SFTP as /X:/... and each command is
// one program started by its absolute path (docs/windows.md): install_dir and definition_file
// must be drive paths, and init_command's program an absolute drive path to an .exe. On a
// POSIX node the same values also work (an MSYS path under the node root), so the check is
// only made where the dialect needs it.
func (l *loader) validateStatusFileOnWindows(s *StatusFile) {
	if s.Node == nil || !windowsShell(s.Node.Endpoint.SSH) {
		return
	}
	shell := s.Node.Endpoint.SSH.Shell
	if !l.isSet(s, "install_dir") {
		l.errorf(s.DeclRange.Ptr(), "install_dir needed on a Windows node",
			"%s is on node %s, reached with shell = %q, and sets no install_dir: the default %s is the lab's POSIX layout, and the object server's install directory (%%XODDIR%%) is site-specific (no public source gives a default). "+
				`Set install_dir to the drive path the object server is installed in, e.g. install_dir = "D:\\HiOBJ" (each backslash written twice in HCL).`,
			s.Addr, s.Node.Name, shell, DefaultStatusFileInstallDir)
	} else if !windowsDrivePath(s.InstallDir) {
		l.errorf(l.where(s, "install_dir", s.DeclRange), "install_dir not a Windows path",
			"install_dir %q of %s is not a drive path, but node %s is reached with shell = %q: its files are read and written over SFTP by drive path. "+
				`Write the directory from its drive letter with backslashes, e.g. install_dir = "D:\\HiOBJ".`,
			s.InstallDir, s.Addr, s.Node.Name, shell)
	}
	if s.DefinitionFile != "" && !windowsDrivePath(s.DefinitionFile) {
		l.errorf(l.where(s, "definition_file", s.DeclRange), "definition_file not a Windows path",
			"definition_file %q of %s is not a drive path, but node %s is reached with shell = %q. "+
				`Write it from its drive letter with backslashes, e.g. definition_file = "D:\\HiOBJ\\conf\\sts", or leave it out (install_dir\conf\sts).`,
			s.DefinitionFile, s.Addr, s.Node.Name, shell)
	}
	if len(s.InitCommand) > 0 && !windowsProgram(s.InitCommand[0]) {
		l.errorf(l.where(s, "init_command", s.DeclRange), "init_command program not a Windows program path",
			"init_command of %s starts with %q, but node %s is reached with shell = %q, where the tool starts exactly one program by its absolute path, never a name looked up on PATH, a batch file or a shell builtin. "+
				`Name xodstsinit by its full path with its .exe extension, e.g. init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", ..., "{file}"] (your install directory's bin).`,
			s.Addr, s.InitCommand[0], s.Node.Name, shell)
	}
}
