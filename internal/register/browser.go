package register

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
)

// ErrNoDesktop means there is no desktop session to open a browser in.
var ErrNoDesktop = errors.New("no desktop session (DISPLAY and WAYLAND_DISPLAY are unset)")

// OpenBrowser opens url in the user's browser when a desktop is present
// (always on macOS and Windows; DISPLAY or WAYLAND_DISPLAY set elsewhere) and
// returns ErrNoDesktop otherwise. It does not wait for the browser.
func OpenBrowser(url string) error {
	if !desktopPresent(runtime.GOOS, os.Getenv) {
		return ErrNoDesktop
	}
	name, args := browserCommand(runtime.GOOS, url)
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open a browser with %s: %w", name, err)
	}
	go func() { _ = cmd.Wait() }() // reap the launcher
	return nil
}

func desktopPresent(goos string, getenv func(string) string) bool {
	switch goos {
	case "darwin", "windows":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

func browserCommand(goos, url string) (string, []string) {
	switch goos {
	case "darwin":
		return "open", []string{url}
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	return "xdg-open", []string{url}
}
