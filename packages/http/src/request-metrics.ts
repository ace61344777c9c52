import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Counts each answered request by method, route (as declared, so ids do not multiply the series)
 * and status, with the seconds spent on them: `http_requests_total` and
 * `http_request_duration_seconds_sum`, whose ratio is the mean latency.
 */
export function requestMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route
        ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}`
        : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.inc('http_requests_total', labels);
      metrics.inc(
        'http_request_duration_seconds_sum',
        labels,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
