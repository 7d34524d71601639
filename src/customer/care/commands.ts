/** Commands of customer care. */
import type { ComplaintFiled, ComplaintResolved, CustomerVisited } from './events';

export type RecordVisit = { type: 'RecordVisit'; data: CustomerVisited['data'] };
export type FileComplaint = { type: 'FileComplaint'; data: ComplaintFiled['data'] };
export type ResolveComplaint = { type: 'ResolveComplaint'; data: ComplaintResolved['data'] };

export type CareCommand = RecordVisit | FileComplaint | ResolveComplaint;
