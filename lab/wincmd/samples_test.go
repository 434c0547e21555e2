package wincmd

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// notRecognizedSamples reads testdata/not-recognized.txt: the public samples by name, with the
// program name of each sample replaced by X.
func notRecognizedSamples(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/not-recognized.txt")
	if err != nil {
		t.Fatal(err)
	}
	samples := map[string]string{}
	name := ""
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "# source: "):
			name = strings.TrimPrefix(line, "# source: ")
		case strings.HasPrefix(line, "#"), line == "":
		case name != "":
			if samples[name] == "" {
				line = "'X'" + line[strings.Index(line[1:], "'")+2:]
			}
			samples[name] += line + "\n"
		}
	}
	return samples
}

// TestNotRecognizedMatchesSamples: the shell's message is the public sample's, byte for byte
// once the program name is the same.
func TestNotRecognizedMatchesSamples(t *testing.T) {
	samples := notRecognizedSamples(t)
	for name, cp := range map[string]CodePage{"english": CP437, "japanese": CP932} {
		want, ok := samples[name]
		if !ok {
			t.Fatalf("no %s sample", name)
		}
		var buf bytes.Buffer
		(&Shell{CodePage: cp}).notRecognized(&buf, "X")
		if buf.String() != want {
			t.Errorf("%s: message %q, sample %q", name, buf.String(), want)
		}
	}
}
