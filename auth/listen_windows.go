package auth

import (
	"errors"
	"syscall"
)

// Winsock's codes: the port is bound by another socket, or reserved or
// held exclusively by another program.
const (
	wsaeaddrinuse syscall.Errno = 10048
	wsaeacces     syscall.Errno = 10013
)

func isAddrInUse(err error) bool {
	return errors.Is(err, wsaeaddrinuse) || errors.Is(err, wsaeacces)
}
