/**
 * Routing a new report: its ward from its point (the city's ward areas) and the agency the city's
 * ward × category table proposes (`domain/reports/city-routing.ts`). The proposal is stored with
 * the report; the report stays `received` until the IOC assigns it (usually to the proposal, in one
 * click on the report page). No proposal: the IOC's queue decides by hand.
 */
import { proposeAgency, wardAt, type CityRouting } from '../domain/reports/city-routing';

export interface Routed {
  readonly ward: string | null;
  readonly proposedAgency: string | null;
}

export class RouteReport {
  constructor(private readonly routing: Pick<CityRouting, 'areas' | 'table'>) {}

  route(point: { lat: number; lng: number }, category: string): Routed {
    const ward = wardAt(point, this.routing.areas);
    return { ward, proposedAgency: proposeAgency(ward, category, this.routing.table) };
  }
}
