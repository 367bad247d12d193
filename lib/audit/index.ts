export { recordAudit, type AuditInput } from './record';
export { recordAudit as audit } from './record';
export * from './queries';
