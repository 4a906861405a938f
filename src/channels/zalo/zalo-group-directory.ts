/**
 * The Zalo groups the OA created (GMF), as broadcast targets: every page of `getgroupsofoa`, then
 * each group's asset (a group whose asset expired is shown disabled, with the reason).
 */
import type { ZaloOaClient } from '../../clients/zalo-oa';
import type { GroupDirectory } from '../../domain/broadcasts/ports';

export function zaloGroupDirectory(client: ZaloOaClient, now: () => Date = () => new Date()): GroupDirectory {
  return {
    async list() {
      const out: Awaited<ReturnType<GroupDirectory['list']>> = [];
      for (let offset = 0; offset < 10_000; offset += 50) {
        const page = await client.listGroups(offset, 50);
        for (const g of page.groups) {
          const detail = await client.getGroup(g.groupId).catch(() => null);
          const validThrough = detail?.assetValidThrough ?? null;
          const expired = validThrough !== null && validThrough.getTime() < now().getTime();
          const disabled = g.status !== 'enabled' || expired || detail === null;
          out.push({
            externalId: g.groupId,
            name: g.name,
            status: disabled ? 'disabled' : 'enabled',
            reason: !disabled ? null : expired ? 'GMF asset expired: renew it in the OA Manager' : detail === null ? 'the OA cannot read this group (not in it any more?)' : `Zalo reports the group as ${g.status}`,
            members: g.members,
            assetValidThrough: validThrough,
          });
        }
        if (page.groups.length < 50 || out.length >= page.total) break;
      }
      return out;
    },
  };
}
