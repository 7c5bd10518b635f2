package main

import (
	"fmt"
	"net/url"
)

// checkPublicURL accepts "" (the UI then uses the address each request
// came to) or an absolute http(s) URL without query or fragment: the base
// the QR codes of contact cards link under.
func checkPublicURL(value string) error {
	if value == "" {
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: --public-url must be an http(s) address like https://cunjing.example.gov.cn, not %q", errUsage, value)
	}
	return nil
}
