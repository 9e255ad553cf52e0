package graph

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the store's Prometheus instruments. A nil *metrics records
// nothing, so a Store opened without a registry pays one nil check.
type metrics struct {
	opSeconds   *prometheus.HistogramVec
	quadsLoaded prometheus.Counter
}

// newMetrics registers the store's instruments with reg; nil reg means no
// metrics.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &metrics{
		opSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "innograph",
			Subsystem: "store",
			Name:      "operation_duration_seconds",
			Help:      "Time a store operation held the store, by operation (write, load, entity, paths, read quads, ...).",
			Buckets:   []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"op"}),
		quadsLoaded: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "innograph",
			Name:      "quads_loaded_total",
			Help:      "Quads in applied add batches (loads, seeds and writes); quads already stored are counted too.",
		}),
	}
	for _, c := range []prometheus.Collector{m.opSeconds, m.quadsLoaded} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe records the duration of one operation started at start.
func (m *metrics) observe(op string, start time.Time) {
	if m != nil {
		m.opSeconds.WithLabelValues(op).Observe(time.Since(start).Seconds())
	}
}

// quadsAdded counts the quads of one applied add batch.
func (m *metrics) quadsAdded(n int) {
	if m != nil {
		m.quadsLoaded.Add(float64(n))
	}
}
