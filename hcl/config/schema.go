package config

import "github.com/hashicorp/hcl/v2"

// The schemas of every block of the language (docs/language.md). They are read-only tables:
// hcl reports unknown arguments and blocks, and missing required arguments, against them.

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

func required(names ...string) []hcl.AttributeSchema {
	out := attrs(names...)
	for i := range out {
		out[i].Required = true
	}
	return out
}

func schema(as []hcl.AttributeSchema, blocks ...hcl.BlockHeaderSchema) *hcl.BodySchema {
	return &hcl.BodySchema{Attributes: as, Blocks: blocks}
}

func join(lists ...[]hcl.AttributeSchema) []hcl.AttributeSchema {
	var out []hcl.AttributeSchema
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func block(typ string, labels ...string) hcl.BlockHeaderSchema {
	return hcl.BlockHeaderSchema{Type: typ, LabelNames: labels}
}

var topSchema = schema(nil,
	block("variable", "name"),
	block("locals"),
	block("ssh"),
	block("cluster", "name"),
	block("node", "name"),
	block("group", "name"),
	block("script", "name"),
	block("server_scan", "name"),
	block("scan_server", "name"),
	block("status_file", "name"),
	block("server_group", "name"),
	block("module", "name"),
	block("output", "name"),
)

var (
	variableSchema   = schema(attrs("type", "default", "description", "sensitive"), block("validation"))
	validationSchema = schema(required("condition", "error_message"))

	sshSchema = schema(attrs("user", "identity_files", "passphrase_env", "agent", "known_hosts_file",
		"jump_host", "connect_timeout", "command_timeout", "ssh_config", "become", "become_user", "become_password",
		"shell", "code_page"))

	moduleSchema  = schema(required("source"))
	outputSchema  = schema(join(required("value"), attrs("description", "sensitive")))
	clusterSchema = schema(attrs("name", "platform", "install_dir", "comment", "charset", "vendor_parameters", "vendor_files"),
		block("ssh"), block("node", "name"), block("heartbeat", "name"), block("ports"),
		block("network_partition", "name"), block("options"), block("monitor", "kind", "name"))
	clusterNodeSchema = schema(join(required("address"),
		attrs("port", "user", "priority", "interconnects", "mirror_connect", "host_key", "vendor_parameters")), block("ssh"))
	heartbeatSchema        = schema(join(required("interconnect"), attrs("mode", "priority", "vendor_parameters")))
	networkPartitionSchema = schema(join(required("targets"), attrs("interval", "timeout", "vendor_parameters")))
	optionsSchema          = schema(attrs("heartbeat_interval", "heartbeat_timeout"))
	portsSchema            = schema(attrs("tcp_in", "udp_in", "tcp_out", "udp_out"))

	nodeSchema = schema(join(required("address"), attrs("port", "user", "host_key")), block("ssh"))

	groupSchema = schema(join(required("cluster", "policy"), attrs("name", "comment", "auto_start", "failback", "vendor_parameters", "identical_registry_keys")),
		block("resource", "kind", "name"), block("monitor", "kind", "name"))

	recoverySchema = schema(attrs("action", "target", "max_restarts"))

	scriptSchema = schema(attrs("description", "start", "stop", "unknown_content", "env_prefix", "restart_services", "on_disk_failure", "charset"),
		block("service", "id"), block("hook", "event"), block("webharmo_oltp"))
	scriptServiceSchema = schema(join(required("name"), attrs("monitor")))
	scriptHookSchema    = schema(join(required("commands"), attrs("on", "phase", "position")))
	scriptOLTPSchema    = schema(join(required("install_dir"), attrs("partial_send", "web_form_print")))

	serverScanSchema = schema(join(required("node"), attrs("install_dir", "port", "check_connector")))
	scanServerSchema = schema(join(required("server_scan", "connector", "service", "port"), attrs("role", "order")))
	statusFileSchema = schema(join(required("node"),
		attrs("definition_file", "install_dir", "init_command", "definition_content"), attrs(oldStatusFileAttrs...)), block("logical_file", "name"))
	logicalFileSchema = schema(required("a_file", "b_file"))
	serverGroupSchema = schema(join(required("management", "settings_dir"),
		attrs("system_dir", "detach_command", "attach_command", "in_balancer_command",
			"sync_command", "sync_check_command", "sync_timeout")), block("member", "name"))
	memberSchema = schema(join(required("node"), attrs("disabled")))
)

// resourceSchemas holds the arguments of each resource kind; depends_on and timeout are common.
var resourceSchemas = map[ResourceKind]*hcl.BodySchema{
	ResFIP:     resourceSchema(required("ip")),
	ResVIP:     resourceSchema(required("ip"), attrs("netmask")),
	ResDisk:    resourceSchema(required("device"), attrs("mount_point", "fs")),
	ResMD:      resourceSchema(required("data_partition", "cluster_partition"), attrs("mount_point", "fs", "nmp_path")),
	ResRegSync: resourceSchema(required("keys")),
	ResService: resourceSchema(required("service_name")),
	ResExec:    resourceSchema(attrs("script")), // a missing script gets its own diagnostic
}

func resourceSchema(lists ...[]hcl.AttributeSchema) *hcl.BodySchema {
	return schema(join(append(lists, attrs("name", "depends_on", "timeout", "vendor_parameters"))...))
}

// vendorResourceSchema is the body of a resource of a kind the language does not model: every
// setting travels in vendor_parameters (e.g. what `cluster import` writes for an awsvip).
var vendorResourceSchema = schema(join(required("vendor_parameters"), attrs("depends_on")))

// vendorMonitorSchema is the body of a monitor of a kind the language does not model.
var vendorMonitorSchema = schema(required("vendor_parameters"))

// monitorSchemas holds the arguments of each monitor kind; polling settings and recovery are
// common. Targets and scripts are optional in the schema so that their absence gets a diagnostic
// that names the kind.
var monitorSchemas = map[MonitorKind]*hcl.BodySchema{
	MonUser:    monitorSchema(),
	MonIP:      monitorSchema(required("targets")),
	MonFIP:     monitorSchema(attrs("target")),
	MonDisk:    monitorSchema(attrs("target")),
	MonMD:      monitorSchema(attrs("target")),
	MonService: monitorSchema(attrs("target")),
	MonGeneric: monitorSchema(attrs("script")),
	MonMDN:     monitorSchema(attrs("target")),
	MonSD:      monitorSchema(attrs("target")),
}

func monitorSchema(lists ...[]hcl.AttributeSchema) *hcl.BodySchema {
	return schema(join(append(lists, attrs("name", "interval", "timeout", "retry", "vendor_parameters"))...), block("recovery"))
}

// Modelled reports whether the language models a resource kind beyond vendor_parameters.
func (k ResourceKind) Modelled() bool { _, ok := resourceSchemas[k]; return ok }

// Modelled reports whether the language models a monitor kind beyond vendor_parameters.
func (k MonitorKind) Modelled() bool { _, ok := monitorSchemas[k]; return ok }

// TargetKind is the resource kind each targeted monitor kind watches.
var TargetKind = map[MonitorKind]ResourceKind{
	MonFIP:     ResFIP,
	MonDisk:    ResDisk,
	MonMD:      ResMD,
	MonMDN:     ResMD,
	MonSD:      ResDisk,
	MonService: ResService,
}
