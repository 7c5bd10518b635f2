package main

import (
	"context"
	"errors"
	"io"
	"testing"
)

func TestServeRefusesAPublicURLThatIsNotAWebAddress(t *testing.T) {
	for _, bad := range []string{"cunjing.example.gov.cn", "ftp://cunjing.example.gov.cn", "https://", "https://x.cn/?a=1"} {
		err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--public-url", bad}, io.Discard, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("--public-url %q: err %v; want a usage error", bad, err)
		}
	}
	for _, good := range []string{"", "https://cunjing.example.gov.cn", "http://10.4.1.7:8080/cunjing/"} {
		if err := checkPublicURL(good); err != nil {
			t.Errorf("--public-url %q: %v", good, err)
		}
	}
}
