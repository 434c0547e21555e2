package scripts

import "github.com/clusterctl/cluster/hcl/config"

// withOLTPCleanup puts WEBharmo/OLTP's clean-up right before the step that starts IIS: seed 001,
// 1.4.5 writes `rmdir /S /Q <dir>\OLTP\TEMP` (partial send) and `del /S /Q
// <dir>\OLTP\PRINT\DOC\*.*` (Web form printing) before every `net start "IIS Admin Service"` of
// START.BAT. The first IIS service a path starts is where IIS starts (its other services depend
// on IISADMIN), so the clean-up goes once before it, after any restart_services stops: the
// files are removed while IIS is down, as the seed's placement has it.
func withOLTPCleanup(services []step, o *config.WebharmoOLTP) []step {
	cleanup := o.OLTPCleanup()
	if len(cleanup) == 0 {
		return services
	}
	for i, st := range services {
		if st.kind != stepStartService || !config.IsIISService(st.service.Name) {
			continue
		}
		out := append([]step{}, services[:i]...)
		for _, c := range cleanup {
			out = append(out, step{kind: stepRemove, lines: []string{c[0], c[1]}})
		}
		return append(out, services[i:]...)
	}
	return services // validate refuses a webharmo_oltp script that starts no IIS service
}
