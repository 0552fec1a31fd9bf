/** Clustered evaluations with too few clusters: their clustered standard error is itself too noisy to lean on. */
import type { EvaluationScore, Finding } from "../../domain/summary.js"
import { finding } from "./finding.js"

/** Below about 10 clusters the sandwich estimator's own variance is large (Cameron and Miller 2015). */
export const MIN_CLUSTERS = 10

export const clusteringFindings = (evaluations: ReadonlyArray<EvaluationScore>): ReadonlyArray<Finding> =>
  evaluations.flatMap((e) =>
    e.clustering === undefined || e.clustering.clusters >= MIN_CLUSTERS
      ? []
      : [finding("medium", e.id, null, { _tag: "FewClusters", field: e.clustering.field, clusters: e.clustering.clusters, samples: e.samples, designEffect: e.clustering.designEffect })]
  )
