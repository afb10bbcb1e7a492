package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/jetbridge/jetbridge/internal/jetadmin"
)

// benchJWT mints a typical member with a few model permissions.
func benchJWT(b *testing.B, key *rsa.PrivateKey, now time.Time) string {
	items := []perm{{"project", "project_settings", "", ""}}
	for _, m := range []string{"customers", "invoices", "products", "orders"} {
		items = append(items, perm{"model", "res1." + m, "rw", TokenHash(testProjectToken)})
	}
	return mint(b, key, userClaims(now, testProject, map[string]any{"permissions": packPerms(b, items...)}))
}

func benchAuth(b *testing.B, key *rsa.PrivateKey) *Authenticator {
	a, err := New(Config{
		Project: testProject, ProjectToken: testProjectToken, BearerAuthKey: testBearer,
		JWTVerifyKey: publicPEM(b, key),
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

func BenchmarkAuthorizeJWTWarm(b *testing.B) {
	a := benchAuth(b, bridgeKey())
	h := "JWT " + benchJWT(b, bridgeKey(), time.Now())
	ctx := context.Background()
	need := ModelRead("orders")
	if _, d := a.Authorize(ctx, h, need); d != nil {
		b.Fatal(d.Reason)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, d := a.Authorize(ctx, h, need); d != nil {
			b.Fatal(d.Reason)
		}
	}
}

func BenchmarkAuthorizeJWTWarmParallel(b *testing.B) {
	a := benchAuth(b, bridgeKey())
	h := "JWT " + benchJWT(b, bridgeKey(), time.Now())
	need := ModelRead("orders")
	if _, d := a.Authorize(context.Background(), h, need); d != nil {
		b.Fatal(d.Reason)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, d := a.Authorize(context.Background(), h, need); d != nil {
				b.Error(d.Reason)
				return
			}
		}
	})
}

func BenchmarkAuthorizeTokenWarm(b *testing.B) {
	a, err := New(Config{Project: testProject, ProjectToken: testProjectToken}, benchFake{})
	if err != nil {
		b.Fatal(err)
	}
	h := "Token " + userToken + ";project_child=kid"
	ctx := context.Background()
	need := ModelWrite("orders")
	if _, d := a.Authorize(ctx, h, need); d != nil {
		b.Fatal(d.Reason)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, d := a.Authorize(ctx, h, need); d != nil {
			b.Fatal(d.Reason)
		}
	}
}

func BenchmarkAuthorizeBearer(b *testing.B) {
	a := benchAuth(b, bridgeKey())
	h := "Bearer " + testBearer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, d := a.Authorize(ctx, h, AnyMember()); d != nil {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkJWTVerifyCold is the baseline: what every request would cost
// without the cache (signature check, claims and permissions decoding).
func BenchmarkJWTVerifyCold(b *testing.B) {
	for _, bits := range []int{2048, 4096} {
		b.Run(map[int]string{2048: "rsa2048", 4096: "rsa4096"}[bits], func(b *testing.B) {
			key := bridgeKey()
			if bits == 4096 {
				var err error
				if key, err = rsa.GenerateKey(rand.Reader, 4096); err != nil {
					b.Fatal(err)
				}
			}
			a := benchAuth(b, key)
			tok := benchJWT(b, key, time.Now())
			now := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				e, _, d := a.verifyUncached(tok, now)
				if d != nil {
					b.Fatal(d.Reason)
				}
				if d := a.evaluate(e, ModelRead("orders")); d != nil {
					b.Fatal(d.Reason)
				}
			}
		})
	}
}

// benchFake allows every token without a network, so the benchmark measures
// the cache path only (the first call fills it).
type benchFake struct{}

func (benchFake) ProjectAuth(context.Context, jetadmin.ProjectAuthRequest) (jetadmin.ProjectAuthResult, error) {
	return jetadmin.ProjectAuthResult{Allowed: true, Status: 200}, nil
}
