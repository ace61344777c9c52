// Command ferretdb-run is a tiny wrapper around the embeddable FerretDB v1 package
// (github.com/FerretDB/FerretDB/ferretdb) with the SQLite backend, for local
// development and tests. Built and started by infra/local/infra.sh.
//
// Using the embeddable package (instead of `go install .../cmd/ferretdb`) avoids the
// build/version/version.txt panic (FerretDB/FerretDB#2982) and keeps telemetry off.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (host:port)")
	dataDir := flag.String("data-dir", "", "directory holding the SQLite files (created if missing; required)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-run: --data-dir is required")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-run: bad --log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("resolving data dir", "error", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		logger.Error("creating data dir", "error", err)
		os.Exit(1)
	}
	// The SQLite URL must point at an existing directory and end with '/'.
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir,
		Logger:    logger,
	})
	if err != nil {
		logger.Error("creating FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Warn("ferretdb-run listening", "addr", *listen, "data", dir, "uri", f.MongoDBURI())
	err = f.Run(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("FerretDB stopped with error", "error", err)
		os.Exit(1)
	}
	logger.Warn("ferretdb-run stopped")
}
