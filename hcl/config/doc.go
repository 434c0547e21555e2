// Package config loads a configuration directory into the model of model.go.
//
// Loading follows the "interdependent blocks" pattern of the HCL guide, in stages that each
// append to one hcl.Diagnostics (so a run reports every problem at once):
//
//  1. parse every *.hcl file of the directory (not *.vars.hcl) and split the top-level blocks;
//  2. evaluate variables: default < CLUSTER_VAR_<name> < *.auto.vars.hcl < --var-file/--var in
//     command-line order, then type conversion and validation blocks;
//  3. evaluate locals in dependency order (Expression.Variables), rejecting cycles;
//  4. decode every block with an EvalContext holding var.*, local.* and the funcs table;
//     references between objects (cluster = cluster.web) are static traversals, recorded
//     and resolved to pointers once every object is known;
//  5. fill defaults and derived fields (priorities, sorted node and scan-server lists);
//  6. semantic validation: names, addresses, policies, dependency cycles, ports, enums, ...;
//     every error a provider would meet rendering the configuration, located (validate_render.go,
//     validate_scripts.go, validate_text.go, validate_hostfiles.go, validate_vendor.go: plan must
//     never refuse what validate accepted; plan_parity_test.go runs both on testdata/invalid);
//     and the operating rules of the vendor manuals (validate_seeds.go). Where a rule is the
//     format's own, validation calls the code that writes it (charset.Encode, CmdArg,
//     transport.NodePath), so the two cannot disagree.
//
// Every diagnostic has a short fixed Summary (tests and scripts match on it), a Detail that says
// how to fix the problem and a Subject as tight as the source allows.
package config
