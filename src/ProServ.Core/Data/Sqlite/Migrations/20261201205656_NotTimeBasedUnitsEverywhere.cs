using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProServ.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NotTimeBasedUnitsEverywhere : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_QuoteLines_Unit_NotTimeBased",
                table: "QuoteLines");

            migrationBuilder.DropCheckConstraint(
                name: "CK_CatalogPackages_Unit_NotTimeBased",
                table: "CatalogPackages");

            migrationBuilder.AddCheckConstraint(
                name: "CK_QuoteLines_Unit_NotTimeBased",
                table: "QuoteLines",
                sql: "replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT IN ('per-hour', 'per-day', 'hourly', 'daily', 'per-week', 'h', 'd', 'per-h', 'per-d', '-h', '-d', 'hr', 'per-hr') AND replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT LIKE '%hour%' AND replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT LIKE '%day%'");

            migrationBuilder.AddCheckConstraint(
                name: "CK_CatalogPackages_Unit_NotTimeBased",
                table: "CatalogPackages",
                sql: "replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT IN ('per-hour', 'per-day', 'hourly', 'daily', 'per-week', 'h', 'd', 'per-h', 'per-d', '-h', '-d', 'hr', 'per-hr') AND replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT LIKE '%hour%' AND replace(replace(replace(lower(trim(\"Unit\")), '_', '-'), ' ', '-'), '/', '-') NOT LIKE '%day%'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_QuoteLines_Unit_NotTimeBased",
                table: "QuoteLines");

            migrationBuilder.DropCheckConstraint(
                name: "CK_CatalogPackages_Unit_NotTimeBased",
                table: "CatalogPackages");

            migrationBuilder.AddCheckConstraint(
                name: "CK_QuoteLines_Unit_NotTimeBased",
                table: "QuoteLines",
                sql: "\"Unit\" NOT IN ('per-hour', 'per-day')");

            migrationBuilder.AddCheckConstraint(
                name: "CK_CatalogPackages_Unit_NotTimeBased",
                table: "CatalogPackages",
                sql: "\"Unit\" NOT IN ('per-hour', 'per-day')");
        }
    }
}
