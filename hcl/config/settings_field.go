package config

import (
	"fmt"
	"unicode"
)

// SettingsField reports why v cannot be one field of the Server-Scan settings file, which
// separates fields by whitespace and starts comments with '#'. The error says why, as a phrase
// ("holds whitespace"). The provider writes the file with it, and validation uses it to refuse
// what the provider could not write.
func SettingsField(v string) error {
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
