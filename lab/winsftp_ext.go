package lab

import (
	"encoding/binary"
	"io"
	"sync"
)

// SFTP packet types and the extension pkg/sftp's server lacks (draft-ietf-secsh-filexfer-02;
// openssh-portable PROTOCOL section 4.6 "fsync@openssh.com").
const (
	fxpVersion  = 2
	fxpExtended = 200
	fxpStatus   = 101
	fsyncExt    = "fsync@openssh.com"
)

// withFsync wraps an SFTP channel so that the server offers fsync@openssh.com, as the
// sftp-server of every Win32-OpenSSH release does (it is openssh-portable's, which has offered
// it since OpenSSH 6.5): the extension is added to the SSH_FXP_VERSION reply, and each fsync
// request is answered SSH_FX_OK. Win32-OpenSSH answers OK even when the flush fails (issue
// 17); the lab's files are flushed by the host's close, so OK is what a client sees either way.
// Everything else passes through unchanged.
func withFsync(ch io.ReadWriteCloser) io.ReadWriteCloser {
	pr, pw := io.Pipe()
	out := &packetWriter{w: ch}
	go func() {
		var err error
		for {
			var pkt []byte
			if pkt, err = readPacket(ch); err != nil {
				break
			}
			if id, ok := fsyncRequest(pkt); ok {
				if err = out.writePacket(statusOK(id)); err != nil {
					break
				}
				continue
			}
			if _, err = pw.Write(pkt); err != nil {
				break
			}
		}
		pw.CloseWithError(err)
	}()
	return struct {
		io.Reader
		io.Writer
		io.Closer
	}{pr, out, ch}
}

// readPacket reads one length-prefixed packet, prefix included.
func readPacket(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > 1<<20 {
		return nil, io.ErrUnexpectedEOF
	}
	pkt := make([]byte, 4+n)
	copy(pkt, hdr[:])
	_, err := io.ReadFull(r, pkt[4:])
	return pkt, err
}

// fsyncRequest returns the request id of an fsync@openssh.com packet.
func fsyncRequest(pkt []byte) (uint32, bool) {
	if len(pkt) < 13 || pkt[4] != fxpExtended {
		return 0, false
	}
	id := binary.BigEndian.Uint32(pkt[5:9])
	n := binary.BigEndian.Uint32(pkt[9:13])
	if uint64(13)+uint64(n) > uint64(len(pkt)) || string(pkt[13:13+n]) != fsyncExt {
		return 0, false
	}
	return id, true
}

func statusOK(id uint32) []byte {
	// length, type, id, code 0, empty message, empty language tag
	body := binary.BigEndian.AppendUint32([]byte{fxpStatus}, id)
	body = binary.BigEndian.AppendUint32(body, 0)
	body = binary.BigEndian.AppendUint32(body, 0)
	body = binary.BigEndian.AppendUint32(body, 0)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// packetWriter reassembles the server's writes (pkg/sftp writes a header and a payload
// separately) into whole packets, so that fsync replies never land inside another packet, and
// adds fsync@openssh.com to the SSH_FXP_VERSION packet.
type packetWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (p *packetWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for len(p.buf) >= 4 {
		n := int(binary.BigEndian.Uint32(p.buf))
		if len(p.buf) < 4+n {
			break
		}
		pkt := p.buf[:4+n]
		if n > 0 && pkt[4] == fxpVersion {
			pkt = withExtension(pkt, fsyncExt, "1")
		}
		if _, err := p.w.Write(pkt); err != nil {
			return 0, err
		}
		p.buf = append([]byte(nil), p.buf[4+n:]...)
	}
	return len(b), nil
}

func (p *packetWriter) writePacket(pkt []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := p.w.Write(pkt)
	return err
}

// withExtension appends an extension pair to a SSH_FXP_VERSION packet.
func withExtension(pkt []byte, name, data string) []byte {
	out := append([]byte(nil), pkt[4:]...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(name)))
	out = append(out, name...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	out = append(out, data...)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(out))), out...)
}
