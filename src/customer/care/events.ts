/** Events of customer care: visits and complaints. */
export const VISIT_CHANNELS = ['store', 'online', 'phone', 'email', 'app', 'wechat'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];
export const VISIT_PURPOSES = ['browse', 'service', 'follow_up', 'win_back', 'survey'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];
export const COMPLAINT_SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

export type CustomerVisited = {
  type: 'CustomerVisited';
  data: { customerId: string; visitId: string; outletId: string; channel: VisitChannel; purpose: VisitPurpose | null; occurredAt: string };
};

export type ComplaintFiled = {
  type: 'ComplaintFiled';
  data: { customerId: string; complaintId: string; channel: string; category: string; severity: ComplaintSeverity; description: string; occurredAt: string };
};

export type ComplaintResolved = {
  type: 'ComplaintResolved';
  data: { customerId: string; complaintId: string; resolution: string; satisfaction: number | null; occurredAt: string };
};

export type CareEvent = CustomerVisited | ComplaintFiled | ComplaintResolved;
