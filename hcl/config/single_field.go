package config

import (
	"fmt"
	"unicode"
)

// SingleField reports why v cannot be one blank-separated field: a scan server's service name
// and Scan-Connector host are registered in services files (/etc/services on the Server-Scan
// side: itpfdoc.hitachi.co.jp/manuals/3020/30203b5800/0026.htm), which separate fields by
// whitespace and start comments with '#'. The error says why, as a phrase ("holds whitespace").
func SingleField(v string) error {
	if v == "" {
		return fmt.Errorf("is empty")
	}
	for _, r := range v {
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("holds whitespace")
		case unicode.IsControl(r):
			return fmt.Errorf("holds a control character")
		case r == '#':
			return fmt.Errorf("holds '#', which starts a comment")
		}
	}
	return nil
}
