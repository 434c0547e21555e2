package clpconf

import (
	"fmt"
	"strconv"
)

// Well-known device ids of a <server>: the id range says what the device is.
const (
	DeviceLAN        = 0     // interconnect LANs: 0, 1, 2, ...
	DeviceDiskHB     = 300   // disk heartbeat
	DeviceMDC        = 400   // mirror disk connects: 400, 401, ...
	DeviceBMC        = 600   // BMC
	DeviceWitness    = 700   // witness heartbeat
	DevicePingNP     = 10200 // ping network partition resolvers: 10200, 10201, ...
	DeviceHTTPNP     = 10700 // HTTP network partition resolver
	heartbeatSection = "heartbeat"
	npSection        = "networkpartition"
)

// Server is a <server name> element: a node of the cluster.
type Server struct {
	Name     string
	Priority int // 0 = highest (the master)
	Devices  []Device
}

// Device is a <device id> of a server.
type Device struct {
	ID   int
	Type string // lan | mdc | ping | disk | bmc | witness | http
	Info string // address for lan and mdc, "1" (used) for ping
	// MDCInfo is <mdc><info>, the mirror connect address the md driver uses ("" if absent).
	MDCInfo string
}

// Servers returns the servers in document order.
func (d *Document) Servers() ([]Server, error) {
	var out []Server
	for _, el := range d.Root.ChildrenNamed("server") {
		s := Server{Name: el.Key()}
		var err error
		if s.Priority, err = intAt(el, "priority", 0); err != nil {
			return nil, err
		}
		for _, dev := range el.ChildrenNamed("device") {
			id, err := strconv.Atoi(dev.Key())
			if err != nil {
				return nil, fmt.Errorf("server %q device id %q: %w", s.Name, dev.Key(), err)
			}
			dv := Device{ID: id}
			dv.Type, _ = dev.Value("type")
			dv.Info, _ = dev.Value("info")
			dv.MDCInfo, _ = dev.Value("mdc/info")
			s.Devices = append(s.Devices, dv)
		}
		out = append(out, s)
	}
	return out, nil
}

// AddServer appends a <server> element to the root.
func (d *Document) AddServer(s Server) {
	el := &Element{Name: "server", Attrs: []Attr{{Name: "name", Value: s.Name}}}
	el.Set("priority", strconv.Itoa(s.Priority))
	for _, dv := range s.Devices {
		dev := el.Ensure("device[" + strconv.Itoa(dv.ID) + "]")
		dev.Set("type", dv.Type)
		dev.Set("info", dv.Info)
		if dv.MDCInfo != "" {
			dev.Set("mdc/info", dv.MDCInfo)
		}
	}
	d.Root.Children = append(d.Root.Children, el)
}

// Heartbeat is a heartbeat resource: lankhb (kernel mode) or lanhb (user mode) over one LAN
// device of every server.
type Heartbeat struct {
	Type     string // lankhb | lanhb
	Name     string
	Priority int
	Device   int // the lan device id
}

// Heartbeats returns the heartbeat resources in document order.
func (d *Document) Heartbeats() ([]Heartbeat, error) {
	var out []Heartbeat
	for _, el := range d.typedObjects(heartbeatSection) {
		h := Heartbeat{Type: el.Name, Name: el.Key()}
		var err error
		if h.Priority, err = intAt(el, "priority", 0); err != nil {
			return nil, err
		}
		if h.Device, err = intAt(el, "device", 0); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// AddHeartbeat appends a heartbeat resource, declaring its type.
func (d *Document) AddHeartbeat(h Heartbeat) {
	el := d.addTyped(heartbeatSection, h.Type, h.Name)
	el.Set("priority", strconv.Itoa(h.Priority))
	el.Set("device", strconv.Itoa(h.Device))
}

// PingNP is a ping network-partition resolver (<pingnp>): it pings Targets over its ping
// device (10200 + n) to decide which side of a split survives.
type PingNP struct {
	Name     string
	Priority int
	Device   int
	Targets  []string // <grp id=0><list id=i><ip>
	Interval int      // seconds, <parameters><interval>; 0 = not written (vendor default)
	Timeout  int      // seconds, <parameters><timeout>; 0 = not written (vendor default)
}

// PingNPs returns the ping network-partition resolvers in document order.
func (d *Document) PingNPs() ([]PingNP, error) {
	var out []PingNP
	for _, el := range d.typedObjects(npSection) {
		if el.Name != "pingnp" {
			continue
		}
		np := PingNP{Name: el.Key()}
		var err error
		if np.Priority, err = intAt(el, "priority", 0); err != nil {
			return nil, err
		}
		if np.Device, err = intAt(el, "device", 0); err != nil {
			return nil, err
		}
		if np.Interval, err = intAt(el, "parameters/interval", 0); err != nil {
			return nil, err
		}
		if np.Timeout, err = intAt(el, "parameters/timeout", 0); err != nil {
			return nil, err
		}
		for _, grp := range el.ChildrenNamed("grp") {
			for _, l := range grp.ChildrenNamed("list") {
				if ip, ok := l.Value("ip"); ok {
					np.Targets = append(np.Targets, ip)
				}
			}
		}
		out = append(out, np)
	}
	return out, nil
}

// AddPingNP appends a pingnp resolver, declaring its type.
func (d *Document) AddPingNP(np PingNP) {
	el := d.addTyped(npSection, "pingnp", np.Name)
	el.Set("priority", strconv.Itoa(np.Priority))
	el.Set("device", strconv.Itoa(np.Device))
	for i, t := range np.Targets {
		el.Set("grp[0]/list["+strconv.Itoa(i)+"]/ip", t)
	}
	if np.Interval > 0 {
		el.Set("parameters/interval", strconv.Itoa(np.Interval))
	}
	if np.Timeout > 0 {
		el.Set("parameters/timeout", strconv.Itoa(np.Timeout))
	}
}

// EnsureSection makes sure a top-level element exists (the WebUI writes an empty
// <networkpartition/> when there is none) and returns it.
func (d *Document) EnsureSection(name string) *Element {
	return d.section(name)
}
