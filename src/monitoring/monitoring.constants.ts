/** Options after defaults are merged; every provider of the module injects this. */
export const MONITORING_OPTIONS = Symbol('MONITORING_OPTIONS');

/** The prom-client Registry behind GET /metrics. */
export const PROMETHEUS_REGISTRY = Symbol('PROMETHEUS_REGISTRY');

export const HEALTH_CHECK_JOB = 'monitoring.health-check';

export const MonitoringEvents = {
  providerStatusChanged: 'monitoring.provider.status-changed',
  healthChanged: 'monitoring.health.changed',
  /** After every health check tick, with the SystemHealth: for live views. */
  healthEvaluated: 'monitoring.health.evaluated',
  alertFired: 'monitoring.alert.fired',
  alertResolved: 'monitoring.alert.resolved',
  alertRepeated: 'monitoring.alert.repeat',
  /** A request moved from one provider to the next (FailoverEvent). */
  failover: 'monitoring.routing.failover',
  /** A provider's circuit changed state (CircuitChangedEvent). */
  circuitChanged: 'monitoring.routing.circuit-changed',
} as const;
