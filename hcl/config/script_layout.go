package config

import "strings"

// The layout of scripts in a cluster's configuration directory (beside clp.conf), as the
// vendor's tools write it:
//
//	scripts/<group>/<exec resource>/start.sh, stop.sh   (start.bat, stop.bat on Windows)
//	scripts/monitor.s/<genw monitor>/genw.sh            (genw.bat on Windows)
//
// Validation, rendering, decoding, import and generation all take the paths from here.

// ScriptExt is the extension of script files on platform p: ".bat" on Windows, ".sh" else.
func ScriptExt(p Platform) string {
	if p == Windows {
		return ".bat"
	}
	return ".sh"
}

// ExecScriptDir is the directory of an exec resource's scripts.
func ExecScriptDir(group, resource string) string {
	return "scripts/" + group + "/" + resource
}

// ExecScriptPaths are the paths of an exec resource's start and stop scripts on platform p.
func ExecScriptPaths(group, resource string, p Platform) (start, stop string) {
	dir := ExecScriptDir(group, resource) + "/"
	return dir + "start" + ScriptExt(p), dir + "stop" + ScriptExt(p)
}

// MonitorScriptDir is the directory of a genw monitor's script.
func MonitorScriptDir(monitor string) string {
	return "scripts/monitor.s/" + monitor
}

// MonitorScriptPath is the path of a genw monitor's script on platform p.
func MonitorScriptPath(monitor string, p Platform) string {
	return MonitorScriptDir(monitor) + "/genw" + ScriptExt(p)
}

// ScriptOwner parses a path of the layout: the genw monitor whose script it is (monitor true),
// or the group and exec resource whose start or stop script it is; ok is false for any other
// path. Any extension is taken, so a file of the other platform is still attributed.
func ScriptOwner(path string) (group, name string, monitor, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 4 || parts[0] != "scripts" {
		return "", "", false, false
	}
	if parts[1] == "monitor.s" && strings.HasPrefix(parts[3], "genw.") {
		return "", parts[2], true, true
	}
	if strings.HasPrefix(parts[3], "start.") || strings.HasPrefix(parts[3], "stop.") {
		return parts[1], parts[2], false, true
	}
	return "", "", false, false
}
