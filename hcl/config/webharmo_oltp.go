package config

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// WEBharmo/OLTP (seed 001, 1.4) is an ISAPI extension inside IIS: it has no service of its own
// and rides on the IIS script (1.4.5: "IIS のスクリプトが作成されていることが必須です"). What it
// adds is a clean-up before IIS starts: "IIS を起動させる net start "IIS Admin Service" の記述全て
// の前に 部分送信機能利用のときには rmdir /S /Q <インストールディレクトリ>\OLTP\TEMP を Web 帳票
// 印刷機能利用のときには del /S /Q <インストールディレクトリ>\OLTP\PRINT\DOC\*.* を記述".

// iisServices are the OS services that start IIS: whichever of them a script starts first
// starts IIS. The other IIS services depend on IISADMIN, "IIS Admin Service" (jrdodds.com,
// "iisreset", 2004: "The other services in IIS are dependent services of IISADMIN", IIS 5.0/5.1;
// Microsoft, "IIS Service Startup", Windows Server 2003: the service control manager starts a
// service's dependencies first), so starting W3SVC starts IISADMIN too. The IIS samples of seed
// 001, 1.1.5 start W3SVC and MSFTPSVC with ARMLOAD; 1.4.5 names `net start "IIS Admin Service"`.
var iisServices = []string{"IISADMIN", "W3SVC", "MSFTPSVC", "IIS Admin Service",
	"World Wide Web Publishing Service", "FTP Publishing Service"}

// IsIISService reports whether the OS service name starts IIS.
func IsIISService(name string) bool {
	for _, s := range iisServices {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// OLTPCleanup returns the commands the start script runs before every start of IIS, in the
// order of seed 001, 1.4.5, as (verb, path) pairs; the renderer quotes the path.
func (o *WebharmoOLTP) OLTPCleanup() [][2]string {
	if o == nil {
		return nil
	}
	dir := strings.TrimRight(o.InstallDir, `\`)
	var out [][2]string
	if o.PartialSend {
		out = append(out, [2]string{"rmdir /S /Q", dir + `\OLTP\TEMP`})
	}
	if o.WebFormPrint {
		out = append(out, [2]string{"del /S /Q", dir + `\OLTP\PRINT\DOC\*.*`})
	}
	return out
}

func (l *loader) decodeWebharmoOLTP(b *hcl.Block, s *Script) {
	if s.OLTP != nil {
		l.errorf(b.DefRange.Ptr(), "Duplicate block",
			"%s already has a webharmo_oltp block. Declare WEBharmo/OLTP's features once per script.", s.Addr)
		return
	}
	o := &WebharmoOLTP{}
	content, diags := b.Body.Content(scriptOLTPSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(o, content)
	r.str("install_dir", &o.InstallDir)
	r.boolean("partial_send", &o.PartialSend)
	r.boolean("web_form_print", &o.WebFormPrint)
	l.blockRanges[o] = b.DefRange
	s.OLTP = o
}

// validateWebharmoOLTP checks a script's webharmo_oltp block: the clean-up is written into a
// generated start script, before the IIS service it starts (seed 001, 1.4.5).
func (l *loader) validateWebharmoOLTP(s *Script) {
	o := s.OLTP
	if o == nil {
		return
	}
	at := l.blockRanges[o]
	switch {
	case s.Literal():
		l.errorf(at.Ptr(), "WEBharmo/OLTP needs a generated script",
			"%s has literal content, so the tool cannot place WEBharmo/OLTP's clean-up before IIS starts. Seed 001, 1.4.5: write it before every `net start \"IIS Admin Service\"` of START.BAT yourself and remove the webharmo_oltp block, or describe the script with service blocks.",
			s.Addr)
		return
	case !hasIISService(s):
		l.errorf(at.Ptr(), "WEBharmo/OLTP without IIS",
			"%s starts no IIS service (W3SVC, MSFTPSVC or IISADMIN). Seed 001, 1.4.5: WEBharmo/OLTP is an ISAPI extension inside IIS and needs the IIS script; its clean-up runs before IIS starts. Add the IIS service blocks of seed 001, 1.1.5.",
			s.Addr)
		return
	case !o.PartialSend && !o.WebFormPrint:
		l.warnf(at.Ptr(), "WEBharmo/OLTP clean-up does nothing",
			"The webharmo_oltp block of %s uses neither partial_send nor web_form_print, so the start script removes nothing. Seed 001, 1.4.5 asks for the clean-up only when one of these features is used. Set the features you use, or remove the block.",
			s.Addr)
	}
	dir := l.where(o, "install_dir", at)
	if strings.TrimRight(o.InstallDir, `\`) == "" {
		l.errorf(dir, "Empty install_dir",
			"The webharmo_oltp block of %s needs WEBharmo/OLTP's installation directory on the nodes, e.g. \"C:\\\\WEBharmo\".", s.Addr)
		return
	}
	for _, c := range o.OLTPCleanup() {
		if _, err := CmdArg(c[1]); err != nil {
			l.errorf(dir, "install_dir unusable in a Windows script",
				"The WEBharmo/OLTP directory %q of %s cannot be written into START.BAT: %s %v. Use a path without %s.",
				c[1], s.Addr, c[0], err, `" % ^ & | < > !`)
			return
		}
	}
}

func hasIISService(s *Script) bool {
	for _, svc := range s.Services {
		if IsIISService(svc.Name) {
			return true
		}
	}
	return false
}
