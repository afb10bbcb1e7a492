package auth

import (
	"sync"
	"time"
)

// ttlCache is a bounded map whose entries expire. When full it drops expired
// entries, then arbitrary ones (map order), down to 90% of its size, so
// inserts stay cheap on average.
type ttlCache[K comparable, V any] struct {
	mu  sync.RWMutex
	max int
	m   map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v   V
	exp time.Time
}

func newTTLCache[K comparable, V any](max int) *ttlCache[K, V] {
	return &ttlCache[K, V]{max: max, m: make(map[K]ttlEntry[V])}
}

// get returns the value for k when it has not expired at now.
func (c *ttlCache[K, V]) get(k K, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.exp) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// set stores v for k until exp.
func (c *ttlCache[K, V]) set(k K, v V, exp, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		for key, e := range c.m {
			if !now.Before(e.exp) {
				delete(c.m, key)
			}
		}
		target := c.max * 9 / 10
		for key := range c.m {
			if len(c.m) <= target {
				break
			}
			delete(c.m, key)
		}
	}
	c.m[k] = ttlEntry[V]{v: v, exp: exp}
}

func (c *ttlCache[K, V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
