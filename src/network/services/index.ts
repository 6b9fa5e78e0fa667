/** Services and load balancing: VIP allocation, endpoints, health monitors, algorithms, affinity and `resolve`. */
export * from './service.js';
export { compileService } from './compile-service.js';
export * from './endpoints.js';
export * from './health-monitor.js';
export { pickBackend, rendezvous, hash32, type PickContext } from './algorithms.js';
export * from './affinity.js';
export * from './vips.js';
export * from './resolution.js';
export { ServiceProxy, type Connection, type MemberView, type ProbeTarget, type ServiceProxyState } from './proxy.js';
