// Package conformance replays the exchanges recorded with upstream Jet Bridge
// 1.13.1 (testdata/, copied from the steering repository's
// shared/conformance) against a real jetbridge HTTP server on every engine and
// compares the answers under the recording's normalisations and policy.
//
// The package holds only tests. A set is data: a folder under testdata with
// requests, golden answers and a reset script per engine, plus a row in the
// sets table of sets_test.go. Run one set with
//
//	go test ./internal/conformance -run 'TestConformance/main/sqlite' -v
//
// and write a per-engine, per-category summary to a file by setting
// JETBRIDGE_CONFORMANCE_REPORT (CI prints it).
package conformance
