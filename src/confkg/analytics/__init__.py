"""Graph analytics over the knowledge graph: the RDF graph projected to networkx, its shape,
central entities, communities, explained paths and topic trends, and the results written back
into the RDF as optional annotations. The library behind ``confkg stats``, ``central``,
``communities``, ``path`` and ``trends``; a notebook calls the same functions."""

from confkg.analytics.annotate import ANALYTICS_GRAPH, write_communities, write_scores
from confkg.analytics.communities import Community, communities_table, detect_communities, find_communities
from confkg.analytics.metrics import Centrality, GraphStats, central, centrality, graph_stats, stats
from confkg.analytics.paths import ExplainedPath, find_path
from confkg.analytics.projection import AnalyticsError, event_entities, project
from confkg.analytics.table import Table
from confkg.analytics.trends import Trends, plot_trends, topic_trends

__all__ = [
    "ANALYTICS_GRAPH",
    "AnalyticsError",
    "Centrality",
    "Community",
    "ExplainedPath",
    "GraphStats",
    "Table",
    "Trends",
    "central",
    "centrality",
    "communities_table",
    "detect_communities",
    "event_entities",
    "find_communities",
    "find_path",
    "graph_stats",
    "plot_trends",
    "project",
    "stats",
    "topic_trends",
    "write_communities",
    "write_scores",
]
