package config

import (
	"strconv"
	"strings"
)

// ports reads a list of port numbers, each a number or a range written as a string
// ("20003-20006", both ends included), expanded in order.
func (r attrReader) ports(name string, dst *[]int) bool {
	var items []string
	if !r.strs(name, &items) {
		return false
	}
	out := []int{}
	for _, it := range items {
		lo, hi, ok := parsePortRange(it)
		if !ok {
			r.l.errorf(r.attrs[name].Expr.Range().Ptr(), "Invalid port",
				"%q in %s is not a port: write a number from 1 to %d, or a range such as \"20003-20006\".", it, name, maxPort)
			return false
		}
		for p := lo; p <= hi; p++ {
			out = append(out, p)
		}
	}
	*dst = out
	return true
}

func parsePortRange(s string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	lo, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
			return 0, 0, false
		}
	}
	return lo, hi, lo >= 1 && hi <= maxPort && lo <= hi
}
