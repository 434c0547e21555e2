package clpconf

import "strconv"

// ObjectNumber is the count the vendor's WebUI stores in <webmgr><client><objectnumber>:
//
//	4 + servers + groups + resources + monitors + servers × (heartbeats + network partitions)
//
// where resources, monitors, heartbeats and network partitions are the named children of
// their section other than <types> (one per lankhb/lanhb, one per pingnp, ...). The three
// reference files saved by the WebUI (X 4.2 Windows, X 5.3 Linux before and after adding a
// group) all agree with it.
func (d *Document) ObjectNumber() int {
	servers := len(d.Root.ChildrenNamed("server"))
	groups := len(d.Root.ChildrenNamed("group"))
	perServer := d.namedObjects("heartbeat") + d.namedObjects("networkpartition")
	return 4 + servers + groups + d.namedObjects("resource") + d.namedObjects("monitor") + servers*perServer
}

// StoredObjectNumber returns the objectnumber written in the document, if any.
func (d *Document) StoredObjectNumber() (int, bool) {
	v, ok := d.Root.Value("webmgr/client/objectnumber")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (d *Document) namedObjects(section string) int {
	s := d.Root.Child(section)
	if s == nil {
		return 0
	}
	n := 0
	for _, c := range s.Children {
		if _, named := c.Attr("name"); named && c.Name != "types" {
			n++
		}
	}
	return n
}

func (d *Document) setObjectNumber() {
	d.section("webmgr").Set("client/objectnumber", strconv.Itoa(d.ObjectNumber()))
}
