// Package clpconf reads, writes and compares clp.conf, the CLUSTERPRO / EXPRESSCLUSTER X
// configuration file.
//
// The file is kept as an ordered element tree (Element): every element, attribute and text
// survives Parse -> Encode, including the ones this package knows nothing about, so the tool
// can rewrite a file saved by the vendor's WebUI without dropping settings it does not manage.
// On top of the tree sit typed accessors and builders for what the tool manages (cluster,
// servers and their devices, heartbeats, ping network partitions, groups, resources,
// monitors).
//
// Encoding follows the vendor: the XML declaration names the document's charset (EUC-JP,
// SJIS/Shift_JIS, ASCII, GB2312, UTF-8) and text is written in it, with a 2-space indent.
// Characters the charset cannot hold are written as numeric character references, so nothing
// is lost. Encode recomputes <webmgr><client><objectnumber> (see ObjectNumber).
//
// Diff compares two documents semantically: sibling order, formatting whitespace, the file's
// charset and the save bookkeeping (trekking, cluster uuid, objectnumber) are not differences.
// Canonical renders the same semantic form as bytes, for fingerprints.
//
// clp.conf comes from nodes and is not trusted: Parse refuses a file beyond MaxSize (16 MiB),
// MaxDepth (64), MaxElements (200,000 elements and attributes) or MaxPathLength (512 bytes)
// with a *LimitError naming the limit, and Canonical, Diff and flattening are then linear in
// the file's size.
//
// Known limits: XML comments, processing instructions other than the declaration, and
// DOCTYPE directives are not kept (the vendor writes none); mixed content (text between child
// elements) is kept as one text run before the children.
package clpconf
