// Package generate writes the configuration model back as HCL: what `cluster import` turns a
// running cluster into. The output is in canonical layout (`cluster fmt` leaves it unchanged),
// and loading it gives back the model it was written from.
package generate
