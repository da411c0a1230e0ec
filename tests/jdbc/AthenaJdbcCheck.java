// Drives Athena's own JDBC driver (Simba AthenaJDBC42) against a running `parthenon serve`
// over TLS and prints what JDBC reads, one fact a line, for tests/test_jdbc.py to assert on.
// Arguments: JDBC URL, a database to create, the folder of table `nested`'s JSON rows.
import java.sql.*;
import java.util.*;

public class AthenaJdbcCheck {
    static void print(String what, Object value) { System.out.println(what + "=" + value); }

    static String rows(ResultSet rs, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (String c : columns) row.add(String.valueOf(rs.getString(c)));
            out.add(String.join("|", row));
        }
        return String.join(";", out);
    }

    static void section(String name, Callable body) {
        try { body.run(); }
        catch (Throwable e) { print(name + ".failed", e.getClass().getSimpleName() + ": " + e.getMessage()); }
    }

    interface Callable { void run() throws Exception; }

    public static void main(String[] args) throws Exception {
        String url = args[0], db = args[1], location = args[2];
        try (Connection conn = DriverManager.getConnection(url)) {
            print("connected", !conn.isClosed());
            section("ddl", () -> {
                try (Statement st = conn.createStatement()) {
                    st.execute("CREATE DATABASE " + db);
                    st.execute("CREATE EXTERNAL TABLE " + db + ".nested (id int, name string COMMENT 'who', "
                            + "tags array<string>, attrs map<string,string>, owner struct<first:string,age:int>) "
                            + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '" + location + "'");
                    print("ddl", "ok");
                }
            });
            DatabaseMetaData md = conn.getMetaData();
            section("catalogs", () -> print("catalogs", rows(md.getCatalogs(), "TABLE_CAT")));
            section("schemas", () -> print("schemas", rows(md.getSchemas("AwsDataCatalog", null), "TABLE_SCHEM")));
            section("tables", () -> print("tables", rows(md.getTables("AwsDataCatalog", db, null, null),
                    "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE")));
            section("columns", () -> print("columns", rows(md.getColumns("AwsDataCatalog", db, "nested", null),
                    "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "ORDINAL_POSITION")));
            // The other way the driver reads metadata: Athena's ListTableMetadata/GetTableMetadata.
            section("proxy", () -> {
                try (Connection proxy = DriverManager.getConnection(url + ";MetadataRetrievalMethod=ProxyAPI")) {
                    DatabaseMetaData pm = proxy.getMetaData();
                    print("proxy.tables", rows(pm.getTables("AwsDataCatalog", db, null, null),
                            "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
                    print("proxy.columns", rows(pm.getColumns("AwsDataCatalog", db, "nested", null),
                            "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "ORDINAL_POSITION", "REMARKS"));
                }
            });
            section("groupby", () -> {
                try (Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT name, count(*) AS n, sum(cardinality(tags)) AS t FROM "
                             + db + ".nested GROUP BY name ORDER BY name")) {
                    print("groupby", rows(rs, "name", "n", "t"));
                }
            });
            section("types", () -> {
                String sql = "SELECT CAST(9007199254740993 AS bigint) AS b, 42 AS i, 2.5e0 AS d, "
                        + "CAST('12.34' AS decimal(10,2)) AS dec, true AS bo, DATE '2024-02-29' AS dt, "
                        + "TIMESTAMP '2024-02-29 13:45:01.250' AS ts, 'héllo' AS v, ARRAY[1,2,3] AS arr, "
                        + "MAP(ARRAY['a'], ARRAY[1]) AS m, CAST(ROW(1, 'x') AS ROW(k integer, s varchar)) AS r";
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData rm = rs.getMetaData();
                    rs.next();
                    for (int c = 1; c <= rm.getColumnCount(); c++) {
                        Object o = rs.getObject(c);
                        print("type." + rm.getColumnLabel(c), rm.getColumnType(c) + "|" + rm.getColumnTypeName(c)
                                + "|" + (o == null ? "null" : o.getClass().getSimpleName()) + "|" + rs.getString(c));
                    }
                    print("type.getLong", rs.getLong("b"));
                    print("type.getInt", rs.getInt("i"));
                    print("type.getDouble", rs.getDouble("d"));
                    print("type.getBigDecimal", rs.getBigDecimal("dec"));
                    print("type.getBoolean", rs.getBoolean("bo"));
                    print("type.getDate", rs.getDate("dt"));
                    print("type.getTimestamp", rs.getTimestamp("ts"));
                }
            });
            section("prepared", () -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM " + db
                        + ".nested WHERE id = 2")) {
                    try (ResultSet rs = ps.executeQuery()) { print("prepared", rows(rs, "name")); }
                }
            });
            section("cancel", () -> {
                Statement st = conn.createStatement();
                new Thread(() -> {
                    try { Thread.sleep(1500); st.cancel(); } catch (Exception e) { print("cancel.call", e); }
                }).start();
                long start = System.currentTimeMillis();
                try {
                    st.executeQuery("SELECT count(*) FROM UNNEST(sequence(1, 20000000)) AS t(a) "
                            + "CROSS JOIN UNNEST(sequence(1, 1000)) AS u(b)");
                    print("cancel", "finished");
                } catch (SQLException e) {
                    print("cancel", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                print("cancel.fast", System.currentTimeMillis() - start < 60000);
            });
            section("error", () -> {
                try (Statement st = conn.createStatement()) {
                    st.executeQuery("SELECT nope FROM " + db + ".nested");
                    print("error", "none");
                } catch (SQLException e) {
                    print("error", e.getMessage());
                }
            });
        }
    }
}
