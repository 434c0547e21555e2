package clpconf

// All is the <all> section: the charset of the configuration, the encoding the WebUI uses for
// scripts (SJIS in every known file) and the server OS (linux | windows).
type All struct {
	Charset  string
	Encode   string
	ServerOS string
}

// ClusterName returns <cluster><name>.
func (d *Document) ClusterName() string {
	v, _ := d.Root.Value("cluster/name")
	return v
}

// ClusterComment returns <cluster><comment>.
func (d *Document) ClusterComment() string {
	v, _ := d.Root.Value("cluster/comment")
	return v
}

// SetCluster sets the cluster name and comment, keeping other <cluster> children (uuid).
func (d *Document) SetCluster(name, comment string) {
	c := d.section("cluster")
	c.Set("name", name)
	c.Set("comment", comment)
}

// All returns the <all> section.
func (d *Document) All() All {
	var a All
	a.Charset, _ = d.Root.Value("all/charset")
	a.Encode, _ = d.Root.Value("all/encode")
	a.ServerOS, _ = d.Root.Value("all/serveros")
	return a
}

// SetAll sets the <all> section, keeping children it does not name.
func (d *Document) SetAll(a All) {
	s := d.section("all")
	s.Set("charset", a.Charset)
	s.Set("encode", a.Encode)
	s.Set("serveros", a.ServerOS)
}
