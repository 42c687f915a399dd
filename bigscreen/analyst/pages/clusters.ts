// K-Means clusters of the newest clusters run: the users on a 2-D PCA
// projection of the model's features (projection.ts), the k-selection curve,
// the cluster profiles, and drill-down to a cluster's users.
import type { ClusterProfile, Clusters, ClusterUser, ClusterUsers } from '../api-types.ts';
import { clusterColor, clusterName, clusterScatterOption, kScoresOption } from '../charts/cluster-option.ts';
import { formatCount, formatDateTime, formatDecimal, formatPercent, formatYuan } from '../format.ts';
import { describeAxis, projectClusterUsers, SCATTER_USERS_PER_CLUSTER } from '../projection.ts';
import { createChart } from '../views/chart.ts';
import { dataTable, type Column } from '../views/data-table.ts';
import { bi, button, h } from '../views/dom.ts';
import { getOrNoRun, load, noRunNotice, panel, statCards, type Page } from './page.ts';
import { showProfile } from './segments.ts';

const PAGE_SIZE = 50;

const FEATURE_LABELS: Record<string, string> = {
  recency_days: '最近 Recency (d)',
  frequency: '频次 Frequency',
  monetary: '金额 Monetary',
  avg_dwell_ms: '停留 Dwell (ms)',
  cart_rate: '加购率 Cart rate',
  favorite_rate: '收藏率 Fav rate',
  category_breadth: '品类数 Categories',
};

const formatFeature = (name: string, value: number) =>
  name === 'monetary' ? formatYuan(value) : name.endsWith('_rate') ? formatPercent(value, 1) : formatDecimal(value, name === 'avg_dwell_ms' ? 0 : 2);

interface ClustersMemory {
  cluster: number | null;
  offset: number;
}

export const clustersPage: Page = {
  id: 'clusters',
  scope: 'none',
  render(root, ctx) {
    const memory = ((ctx.memory.clusters as ClustersMemory | undefined) ??= { cluster: null, offset: 0 });
    const overview = h('div', { data: { section: 'clusters' } });
    const scatter = createChart('cluster-scatter', 460, ctx.onDispose);
    const scatterNote = h('p', { class: 'muted', data: { section: 'scatter-note' } });
    const kChart = createChart('k-scores', 240, ctx.onDispose);
    const profiles = h('div', { data: { section: 'cluster-profiles' } });
    const drill = h('div', { data: { section: 'cluster-users' } });
    const profile = h('div', { data: { section: 'profile' } });
    let run: Clusters | null = null;

    function showAll(): void {
      overview.replaceChildren();
      profiles.replaceChildren();
      void load(overview, ctx, async (out) => {
        run = await getOrNoRun<Clusters>(ctx, '/api/segments/clusters');
        if (!run) {
          out.append(noRunNotice(ctx, ['clusters'], showAll));
          return;
        }
        const r = run;
        const tz = ctx.timeZone();
        const chosen = r.k_scores.find((s) => s.chosen);
        out.append(
          h('p', { class: 'muted' }, `作业结果 From the clusters job run at ${formatDateTime(r.computed_at, tz)} · as of ${formatDateTime(r.as_of, tz)} · seed ${r.seed}, ${r.runs_per_k} restarts per k`),
          statCards([
            { key: 'k', zh: '聚类数', en: 'k (best silhouette)', value: String(r.k) },
            { key: 'users', zh: '用户', en: 'Clustered users', value: formatCount(r.users) },
            { key: 'fit_users', zh: '拟合用户', en: 'Fitted on', value: formatCount(r.fit_users) },
            { key: 'silhouette', zh: '轮廓系数', en: 'Silhouette', value: chosen?.silhouette === null || chosen === undefined ? '—' : formatDecimal(chosen.silhouette, 4) },
          ]),
        );
        kChart.set(kScoresOption(r.k_scores));
        fillProfiles(r);
        await fillScatter(r);
      });
    }

    async function fillScatter(r: Clusters): Promise<void> {
      const pages = await Promise.all(
        r.clusters.map((c) => ctx.api.get<ClusterUsers>('/api/segments/clusters/users', { cluster: c.cluster, limit: Math.min(SCATTER_USERS_PER_CLUSTER, Math.max(1, c.users)) }, ctx.signal)),
      );
      const users = pages.flatMap((p) => p.users);
      if (users.length < 3) {
        scatterNote.textContent = '用户太少，无法投影 Too few users to project.';
        scatter.set(clusterScatterOption(r.clusters, [], projectClusterUsers([]), ['PC1', 'PC2']));
        return;
      }
      const projection = projectClusterUsers(users);
      const axisName = (k: 0 | 1) => `PC${k + 1} ${formatPercent(projection.explained[k], 0)}`;
      scatter.set(clusterScatterOption(r.clusters, users, projection, [axisName(0), axisName(1)]));
      scatter.element.dataset.points = String(users.length);
      scatterNote.textContent =
        `${formatCount(users.length)} 位用户（每个聚类最典型的至多 ${SCATTER_USERS_PER_CLUSTER} 位）The ${formatCount(users.length)} users nearest their centres (up to ${SCATTER_USERS_PER_CLUSTER} per cluster), ` +
        `features as the model sees them (ln(1+x) on counts and money, z-scored), on their first two principal components. ` +
        `PC1 ≈ ${describeAxis(projection.axes[0], projection.featureNames)}; PC2 ≈ ${describeAxis(projection.axes[1], projection.featureNames)}. ◆ = cluster centre.`;
    }

    function fillProfiles(r: Clusters): void {
      const featureColumns: Array<Column<ClusterProfile>> = r.features.map((f) => ({
        key: f.name,
        label: FEATURE_LABELS[f.name] ?? f.name,
        value: (c: ClusterProfile) => c.means[f.name] ?? null,
        render: (c: ClusterProfile) => formatFeature(f.name, c.means[f.name] ?? Number.NaN),
        numeric: true,
      }));
      profiles.replaceChildren(
        h('p', { class: 'muted' }, '各特征的聚类均值（原始单位）；点击一行查看该聚类的用户 Cluster means in original units; click a row for its users.'),
        dataTable<ClusterProfile>({
          name: 'cluster-profiles',
          csvName: 'cluster-profiles',
          rows: r.clusters,
          isSelected: (c) => c.cluster === memory.cluster,
          onRowClick: (c) => {
            memory.cluster = c.cluster;
            memory.offset = 0;
            fillProfiles(r);
            showUsers();
          },
          columns: [
            {
              key: 'cluster',
              label: '# 聚类 Cluster',
              value: (c) => c.cluster,
              render: (c) => h('span', null, h('i', { class: 'swatch', attrs: { style: `background:${clusterColor(c.cluster)}` } }), `#${c.cluster}`),
              numeric: true,
            },
            { key: 'label', label: '标签 Label', value: (c) => c.label },
            { key: 'users', label: '用户 Users', value: (c) => c.users, render: (c) => formatCount(c.users), numeric: true },
            { key: 'share', label: '占比 Share', value: (c) => c.share, render: (c) => formatPercent(c.share, 1), numeric: true },
            ...featureColumns,
          ],
        }).element,
      );
    }

    function showUsers(): void {
      drill.replaceChildren();
      profile.replaceChildren();
      const cluster = memory.cluster;
      if (cluster === null) return;
      void load(drill, ctx, async (out) => {
        const page = await getOrNoRun<ClusterUsers>(ctx, '/api/segments/clusters/users', { cluster, limit: PAGE_SIZE, offset: memory.offset });
        if (!page) return;
        const name = run?.clusters.find((c) => c.cluster === cluster);
        const last = Math.min(memory.offset + PAGE_SIZE, page.total);
        out.append(
          h('h3', { class: 'drill-title' }, bi(`聚类用户 · ${name ? clusterName(name) : `#${cluster}`}`, 'Users, nearest the centre first'), h('span', { class: 'muted' }, `  ${memory.offset + 1}–${last} / ${formatCount(page.total)}`)),
          dataTable<ClusterUser>({
            name: 'cluster-users',
            csvName: `cluster-${cluster}`,
            rows: page.users,
            onRowClick: (u) => showProfile(ctx, profile, u.user_id),
            columns: [
              { key: 'user_id', label: '用户 User', value: (u) => u.user_id },
              { key: 'distance', label: '距中心 Distance', value: (u) => u.distance, render: (u) => formatDecimal(u.distance, 3), numeric: true },
              ...(['recency_days', 'frequency', 'monetary', 'avg_dwell_ms', 'cart_rate', 'favorite_rate', 'category_breadth'] as const).map(
                (f): Column<ClusterUser> => ({ key: f, label: FEATURE_LABELS[f] ?? f, value: (u) => u[f], render: (u) => formatFeature(f, u[f]), numeric: true }),
              ),
            ],
          }).element,
          h(
            'div',
            { class: 'controls pager' },
            button('← 上一页 Previous', () => ((memory.offset = Math.max(0, memory.offset - PAGE_SIZE)), showUsers()), 'btn btn-small', memory.offset === 0 ? { disabled: '' } : {}),
            button('下一页 Next →', () => ((memory.offset += PAGE_SIZE), showUsers()), 'btn btn-small', last >= page.total ? { disabled: '' } : {}),
          ),
        );
      });
    }

    root.append(
      panel('用户聚类', 'K-Means clusters', overview),
      h('div', { class: 'grid-2' }, panel('聚类散点', '2-D projection (PCA)', scatter.element, scatterNote), panel('k 的选择', 'Choosing k', kChart.element)),
      panel('聚类画像', 'Cluster profiles', profiles),
      panel('下钻', 'Drill-down', drill, profile),
    );
    showAll();
    showUsers();
  },
};
