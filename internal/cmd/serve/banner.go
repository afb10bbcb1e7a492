package serve

import (
	"fmt"
	"io"
	"net/netip"

	"github.com/jetbridge/jetbridge/internal/config"
	"github.com/jetbridge/jetbridge/internal/register"
	"github.com/jetbridge/jetbridge/internal/server"
)

// printServeBanner tells the person who started serve how to call the bridge
// and what the browser will ask. It never prints a configured secret whole
// (the output of a service ends up in its log): the Bearer key is masked.
func printServeBanner(w io.Writer, s config.Settings, base string) {
	fmt.Fprintf(w, "\njetbridge is serving the %s database at %s\n\n", s.Database.Engine, base)
	if s.BearerAuthKey != "" {
		fmt.Fprintf(w, "Call it yourself with the key in BEARER_AUTH_KEY (%s):\n  curl -H \"Authorization: Bearer $BEARER_AUTH_KEY\" %smodel_descriptions/\n\n",
			register.Mask(s.BearerAuthKey), base)
	} else {
		fmt.Fprintf(w, "No BEARER_AUTH_KEY is set: only Jet Admin users can call this bridge.\n"+
			"To call it with curl or scripts, set one (`jetbridge init` generates it).\n\n")
	}
	fmt.Fprint(w, browserNote(s))
}

// browserNote explains Chromium's Local Network Access prompt: a public site
// (app.jetadmin.io) reaching a bridge on this machine or the LAN must be
// allowed by the user, and on a LAN the bridge needs trusted HTTPS.
func browserNote(s config.Settings) string {
	note := "Browsers: Chrome and Edge ask \"app.jetadmin.io wants to access other apps and services on this device\"\n" +
		"before Jet Admin may reach a bridge on localhost or a private address: choose Allow.\n"
	if !loopbackOnly(server.ListenHost(s)) && s.SSLCert == "" {
		note += "From other machines of your network the bridge must be HTTPS with a certificate the browser trusts\n" +
			"(SSL_CERT and SSL_KEY, or a reverse proxy).\n"
	}
	return note + "For managed browsers, the admin policy LocalNetworkAccessAllowedForUrls allows it for a whole fleet.\n"
}

func loopbackOnly(addr string) bool {
	if addr == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(addr)
	return err == nil && ip.IsLoopback()
}

// printDemoBanner is the demo's banner: the generated key is shown, it is no secret
// of anyone's.
func printDemoBanner(w io.Writer, s config.Settings, base string) {
	fmt.Fprintf(w, "\njetbridge is serving the demo database at %s\n\n", base)
	fmt.Fprintf(w, "  Bearer key: %s\n\n", s.BearerAuthKey)
	fmt.Fprintf(w, "Try it:\n  curl -H 'Authorization: Bearer %s' '%smodels/tracks/?_per_page=5'\n\n", s.BearerAuthKey, base)
	fmt.Fprintf(w, "Models: curl -H 'Authorization: Bearer %s' %smodel_descriptions/\n\n", s.BearerAuthKey, base)
	fmt.Fprint(w, browserNote(s))
	fmt.Fprintln(w, "Stop with Ctrl-C.")
}
