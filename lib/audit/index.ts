export { recordAudit, type AuditInput } from './record';
