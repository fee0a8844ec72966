#!/usr/bin/env bash
# es-assemble.sh TARGET_DIR
#
# Assembles a runnable, real Elasticsearch 9.x node (default 9.3.2) in TARGET_DIR
# from Maven Central only (no Docker, no elastic.co downloads):
#   * org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip
#     (a full minimal distribution: bin/, lib/, server-cli, entitlement agent/bridge,
#     modules transport-netty4, x-pack-core, x-pack-security, apm). Note: the
#     maven-metadata.xml of that artifact is stale (stops at 8.19.x), but the 9.x
#     zips exist: 9.0.x-9.2.x, 9.3.2, 9.5.2, 9.5.3 (9.3.0/9.3.1/9.3.3/9.3.4 are 404).
#   * a tiny "rest-root-shim" module compiled here with JDK 25's javac: the
#     integ-test-zip lacks the rest-root module, so without it `GET /` (es.info())
#     answers 405. The shim serves GET/HEAD / with the usual info JSON, built from
#     the running node's real Build/cluster state.
#   * config: single-node, 127.0.0.1, http.port 9200, security off, disk threshold
#     off, heap 512m, hunspell en_US dictionary under config/hunspell/en_US/.
# Idempotent: exits early when TARGET_DIR/.assembled-$ES_VERSION-r<revision> exists.
# Env: ES_VERSION (9.3.2; 9.5.3 also tested), ES_USER (elasticsearch; created as a system user if
# missing), ES_JAVA_HOME (/usr/lib/jvm/temurin-25-jdk-amd64).
#
# ---------------------------------------------------------------- HOW TO RUN ---
# ES refuses to run as root; the tree is chowned to $ES_USER. Every parent of
# TARGET_DIR must be traversable (o+x) by that user. D = absolute TARGET_DIR.
#
# Start (daemonized; returns exit 0 once the node has started, ~10 s, after echoing
# the startup log to stdout; no stdin needed, the keystore is unprotected, so
# </dev/null is fine, e.g. in CI; the transport port 9300 also binds 127.0.0.1 only):
#   runuser -u elasticsearch -- env ES_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 \
#       "$D/bin/elasticsearch" -d -p "$D/es.pid" -E http.port=9200 </dev/null
#   (-E http.port=... is optional; 9200 is the default in config/elasticsearch.yml.
#    Any other setting can be given with -E too. Heap: config/jvm.options.d/heap.options,
#    or override with ES_JAVA_OPTS="-Xms1g -Xmx1g" inside the env ... list.)
# Foreground instead: drop "-d -p ..."; logs go to stdout, Ctrl-C/SIGTERM stops it.
# Wait until ready:   until curl -sf 127.0.0.1:9200 >/dev/null; do sleep 0.5; done
# Logs: $D/logs/<cluster>.log (cluster name: es-local). Data: $D/data.
# Stop:
#   kill "$(cat "$D/es.pid")"      # SIGTERM = clean shutdown; wait for the pid to exit:
#   while kill -0 "$(cat "$D/es.pid")" 2>/dev/null; do sleep 0.5; done
# Reset data: stop, then rm -rf "$D/data". Each start leaves a /tmp/elasticsearch-<n> temp dir
# (ES_TMPDIR=<existing dir> in the env list picks another place).
# Limitations: only modules in the integ-test-zip (+ the shims): no analysis-common
# (so no stemmer/ngram/synonym/etc. filters beyond server built-ins and the folding shim: standard,
# lowercase, stop, hunspell, ...), no painless, no reindex, no ingest-common,
# no mapper-extras, no data-streams, no parent-join/percolator.
# -------------------------------------------------------------------------------
set -euo pipefail

TARGET=${1:?usage: $0 TARGET_DIR}
ES_VERSION=${ES_VERSION:-9.3.2}
ES_USER=${ES_USER:-elasticsearch}
ES_JAVA_HOME=${ES_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

mkdir -p "$TARGET"
TARGET=$(cd "$TARGET" && pwd)
[ "$TARGET" != / ] || { echo "es-assemble: refusing TARGET_DIR=/" >&2; exit 1; }
# The suffix after the version is the assembly's revision: a new one re-assembles old trees.
MARKER="$TARGET/.assembled-$ES_VERSION-r2"

if ! id -u "$ES_USER" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
fi

if [ -f "$MARKER" ]; then
  echo "es-assemble: $TARGET already assembled (Elasticsearch $ES_VERSION)"
  exit 0
fi

# Never wipe a non-empty directory this script did not create.
if [ -n "$(ls -A "$TARGET")" ] && [ ! -f "$TARGET/.es-assemble" ]; then
  echo "es-assemble: $TARGET is not empty and was not made by this script; refusing" >&2
  exit 1
fi

[ -x "$ES_JAVA_HOME/bin/javac" ] || { echo "es-assemble: no javac in $ES_JAVA_HOME" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/es-assemble.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "es-assemble: fetching Elasticsearch $ES_VERSION from Maven Central"
if ! mvn -q -B -Dstyle.color=never dependency:copy \
  -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
  -DoutputDirectory="$WORK" >"$WORK/mvn.log" 2>&1; then
  cat "$WORK/mvn.log" >&2
  echo "es-assemble: download of Elasticsearch $ES_VERSION failed" >&2
  exit 1
fi
(cd "$WORK" && unzip -q "elasticsearch-$ES_VERSION.zip")
SRC="$WORK/elasticsearch-$ES_VERSION"
[ -f "$SRC/lib/elasticsearch-$ES_VERSION.jar" ] || { echo "es-assemble: unexpected zip layout" >&2; exit 1; }

# Start from a clean tree (a previous partial or older assembly may be there), but keep the
# node's data: an index the database says is up to date must not vanish with an upgrade.
find "$TARGET" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
touch "$TARGET/.es-assemble"
cp -a "$SRC/." "$TARGET/"

# ---- config ----
cat >> "$TARGET/config/elasticsearch.yml" <<'EOF'

# ---- added by es-assemble.sh ----
cluster.name: es-local
node.name: node-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: 9200
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
EOF
printf -- '-Xms512m\n-Xmx512m\n' > "$TARGET/config/jvm.options.d/heap.options"

if [ ! -f /usr/share/hunspell/en_US.dic ] && command -v apt-get >/dev/null; then
  apt-get install -y -q hunspell-en-us >/dev/null 2>&1 || true
fi
if [ -f /usr/share/hunspell/en_US.dic ]; then
  mkdir -p "$TARGET/config/hunspell/en_US"
  cp -L /usr/share/hunspell/en_US.aff /usr/share/hunspell/en_US.dic "$TARGET/config/hunspell/en_US/"
else
  echo "es-assemble: WARNING: hunspell en_US dictionary not found; hunspell filter unavailable" >&2
fi

# ---- rest-root-shim module (GET / and HEAD /) ----
SHIM_SRC="$WORK/shim/src/org/local/esrootshim"
mkdir -p "$SHIM_SRC" "$WORK/shim/classes"
cat > "$SHIM_SRC/RootShimPlugin.java" <<'EOF'
package org.local.esrootshim;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.Collection;
import java.util.List;

/** Serves GET / and HEAD / (node/cluster/version info), normally provided by the rest-root module. */
public class RootShimPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(@REST_PARAMS@) {
        return List.of(new InfoHandler());
    }

    private final class InfoHandler extends BaseRestHandler {
        @Override
        public String getName() {
            return "root_shim_info";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        public boolean canTripCircuitBreaker() {
            return false;
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                ClusterState state = clusterService.state();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                if (request.hasParam("pretty") == false) {
                    b.prettyPrint().lfAtEnd();
                }
                b.startObject();
                b.field("name", clusterService.localNode().getName());
                b.field("cluster_name", clusterService.getClusterName().value());
                b.field("cluster_uuid", state.metadata().clusterUUID());
                b.startObject("version");
                b.field("number", build.qualifiedVersion());
                b.field("build_flavor", build.flavor());
                b.field("build_type", build.type().displayName());
                b.field("build_hash", build.hash());
                b.field("build_date", build.date());
                b.field("build_snapshot", build.isSnapshot());
                b.field("lucene_version", org.apache.lucene.util.Version.LATEST.toString());
                b.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
                b.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
                b.endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }
}
EOF
# ActionPlugin.getRestHandlers' parameter list differs between 9.x minors (9.3: nine
# parameters, 9.5: RestHandlersServices, ...), so take it from the server jar itself.
REST_PARAMS=$("$ES_JAVA_HOME/bin/javap" -cp "$TARGET/lib/elasticsearch-$ES_VERSION.jar" \
    org.elasticsearch.plugins.ActionPlugin | sed -n 's/.* getRestHandlers(\(.*\));$/\1/p' | head -n1 |
  awk '{ out = ""; d = 0; n = 0; cur = ""
         for (i = 1; i <= length($0); i++) { c = substr($0, i, 1)
           if (c == "<") d++; if (c == ">") d--
           if (c == "," && d == 0) { out = out cur " p" n++ ", "; cur = "" } else if (!(c == " " && cur == "")) cur = cur c }
         if (cur != "") out = out cur " p" n
         gsub(/\$/, ".", out); print out }')
[ -n "$REST_PARAMS" ] || { echo "es-assemble: cannot read ActionPlugin.getRestHandlers signature" >&2; exit 1; }
sed -i "s|@REST_PARAMS@|$REST_PARAMS|" "$SHIM_SRC/RootShimPlugin.java"
"$ES_JAVA_HOME/bin/javac" --release 21 -nowarn -proc:none \
  -cp "$TARGET/lib/*" -d "$WORK/shim/classes" "$SHIM_SRC/RootShimPlugin.java"
mkdir -p "$TARGET/modules/rest-root-shim"
"$ES_JAVA_HOME/bin/jar" --create --file "$TARGET/modules/rest-root-shim/rest-root-shim-$ES_VERSION.jar" -C "$WORK/shim/classes" .
cat > "$TARGET/modules/rest-root-shim/plugin-descriptor.properties" <<EOF
description=Local shim serving GET / (stands in for the rest-root module missing from the integ-test-zip)
version=$ES_VERSION
name=rest-root-shim
classname=org.local.esrootshim.RootShimPlugin
java.version=21
elasticsearch.version=$ES_VERSION
EOF

# ---- analysis-folding-shim module (asciifolding and pattern_replace token filters) ----
# The integ-test-zip lacks analysis-common, whose `asciifolding` (Zürich = Zurich) and
# `pattern_replace` (U.S. = US) token filters the articles' analyser uses. Both wrap
# Lucene filters already in lib/lucene-analysis-common-*.jar; the shim registers them
# under analysis-common's names and settings, so one mapping serves this node and the
# official image (which has analysis-common).
FOLD_SRC="$WORK/fold/src/org/local/esfoldshim"
mkdir -p "$FOLD_SRC" "$WORK/fold/classes"
cat > "$FOLD_SRC/FoldShimPlugin.java" <<'EOF'
package org.local.esfoldshim;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;
import java.util.regex.Pattern;

/** The `asciifolding` and `pattern_replace` token filters of analysis-common, with its settings. */
public class FoldShimPlugin extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding",
            (indexSettings, environment, name, settings) ->
                new Folding(name, settings.getAsBoolean("preserve_original", false)),
            "pattern_replace",
            AnalysisPlugin.requiresAnalysisSettings((indexSettings, environment, name, settings) -> {
                String pattern = settings.get("pattern");
                if (pattern == null) {
                    throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
                }
                return new Replacing(name, Pattern.compile(pattern), settings.get("replacement", ""),
                    settings.getAsBoolean("all", true));
            }));
    }

    private static final class Folding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        Folding(String name, boolean preserveOriginal) {
            super(name);
            this.preserveOriginal = preserveOriginal;
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new ASCIIFoldingFilter(stream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream stream) {
            return new ASCIIFoldingFilter(stream, false);
        }
    }

    private static final class Replacing extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Pattern pattern;
        private final String replacement;
        private final boolean all;

        Replacing(String name, Pattern pattern, String replacement, boolean all) {
            super(name);
            this.pattern = pattern;
            this.replacement = replacement;
            this.all = all;
        }

        @Override
        public TokenStream create(TokenStream stream) {
            return new PatternReplaceFilter(stream, pattern, replacement, all);
        }
    }
}
EOF
"$ES_JAVA_HOME/bin/javac" --release 21 -nowarn -proc:none \
  -cp "$TARGET/lib/*" -d "$WORK/fold/classes" "$FOLD_SRC/FoldShimPlugin.java"
mkdir -p "$TARGET/modules/analysis-folding-shim"
"$ES_JAVA_HOME/bin/jar" --create --file "$TARGET/modules/analysis-folding-shim/analysis-folding-shim-$ES_VERSION.jar" -C "$WORK/fold/classes" .
cat > "$TARGET/modules/analysis-folding-shim/plugin-descriptor.properties" <<EOF
description=Local shim registering analysis-common's asciifolding and pattern_replace token filters (missing from the integ-test-zip)
version=$ES_VERSION
name=analysis-folding-shim
classname=org.local.esfoldshim.FoldShimPlugin
java.version=21
elasticsearch.version=$ES_VERSION
EOF

mkdir -p "$TARGET/data" "$TARGET/logs"
chown -R "$ES_USER:" "$TARGET"
touch "$MARKER"
echo "es-assemble: Elasticsearch $ES_VERSION assembled in $TARGET (run as user $ES_USER; see header of $0)"
