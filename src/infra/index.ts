/**
 * Infrastructure: the Driver contract (BOSH CPI style), datacenter topologies, and the simulated
 * datacenter that implements the contract by default. Other folders import only from here.
 */
export * from './driver.js';
export * from './topology.js';
export * from './sim/index.js';
