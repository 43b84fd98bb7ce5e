package deploy

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// pause waits one poll interval, or returns early with ctx's error.
func (d *Deployer) pause(ctx context.Context) error {
	interval := d.opts.PollInterval
	if interval <= 0 {
		interval = 2*time.Second + rand.N(3*time.Second)
	}
	t := time.NewTimer(interval)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// forEach runs work(i) for i in [0, n) on at most Parallel goroutines.
// Work not yet started when ctx is cancelled is skipped.
func (d *Deployer) forEach(ctx context.Context, n int, work func(i int)) {
	sem := make(chan struct{}, d.opts.Parallel)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case sem <- struct{}{}:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			work(i)
		}()
	}
	wg.Wait()
}
