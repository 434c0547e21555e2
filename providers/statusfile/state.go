package statusfile

// State is the state of a logical file (seed 003): open files are current or spare, closed
// ones reserved or blocked. No public command prints it (doc.go), so what the tool observes is
// always Unknown; the other states are the seed's, used where the state is derived from the
// seed's rules rather than read (`cluster simulate` starts from a normal start).
type State string

const (
	Current  State = "current"  // 現用
	Spare    State = "spare"    // 予備
	Reserved State = "reserved" // 予約
	Blocked  State = "blocked"  // 閉塞
	Unknown  State = "unknown"
)

// Open reports whether the object server has the logical file open (current or spare).
func (s State) Open() bool { return s == Current || s == Spare }

// LogicalState is a logical file with its state and what was seen of its files.
type LogicalState struct {
	Logical
	State State
	// ASize and BSize are the files' sizes in bytes, -1 when the file does not exist.
	ASize, BSize int64
}
