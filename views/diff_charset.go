package views

import (
	"fmt"

	"github.com/clusterctl/cluster/charset"
)

// lineShower returns how one line of a file kept in the named charset ("" is UTF-8) is shown:
// decoded into UTF-8 text, or, when its bytes do not decode in that charset, as a note that
// says so and how long the line is. Raw bytes of another charset never reach the terminal, the
// JSON output or the Markdown (they would show as mojibake, or as U+FFFD in JSON). Only the
// display is decoded: the plan keeps, and apply writes, the bytes.
func lineShower(name string) func(string) string {
	kind, err := charset.Lookup(name)
	if err != nil {
		kind = charset.UTF8
	}
	label := kind.Name()
	return func(line string) string {
		if text, err := charset.Decode(label, []byte(line)); err == nil {
			return text
		}
		return fmt.Sprintf("(%d bytes that are not %s text: not shown)", len(line), label)
	}
}
