// Drives the emulator with Aiven's Go API client (go-client-codegen, the client inside Aiven's
// Terraform-based provider): the calls the provider makes for a Valkey primary and a read
// replica, each answer unmarshalled into the client's own types. Prints one line per check and
// exits 1 at the first failure. Usage: AIVEN_WEB_URL=... AIVEN_TOKEN=... go run . PROJECT
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	avngen "github.com/aiven/go-client-codegen"
	"github.com/aiven/go-client-codegen/handler/service"
)

func main() {
	if len(os.Args) != 2 {
		fail("usage: goclient PROJECT")
	}
	project := os.Args[1]
	client, err := avngen.NewClient(avngen.HostOpt(os.Getenv("AIVEN_WEB_URL")), avngen.TokenOpt(os.Getenv("AIVEN_TOKEN")))
	check("client", err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	_, err = client.ProjectList(ctx)
	check("ProjectList", err)
	vpcs, err := client.VpcList(ctx, project)
	check("VpcList", err)
	expect("VpcList is empty", len(vpcs) == 0)
	ips, err := client.StaticIPList(ctx, project)
	check("StaticIPList", err)
	expect("StaticIPList is empty", len(ips) == 0)
	typ, err := client.ProjectServiceTypesGet(ctx, project, "valkey")
	check("ProjectServiceTypesGet", err)
	expect("valkey has a user_config_schema", typ.UserConfigSchema["properties"] != nil)
	_, err = client.ProjectServicePlanSpecsGet(ctx, project, "valkey", "business-4")
	expect("ProjectServicePlanSpecsGet is a 404 the provider tolerates", avngen.IsNotFound(err))

	tp := false
	dow := service.DowTypeSunday
	at := "03:00:00"
	created, err := client.ServiceCreate(ctx, project, &service.ServiceCreateIn{
		Cloud:                 ptr("google-europe-west1"),
		Plan:                  "business-4",
		ServiceName:           "go-prim",
		ServiceType:           "valkey",
		TerminationProtection: &tp,
		Maintenance:           &service.MaintenanceIn{Dow: dow, Time: &at},
		TechEmails:            &[]service.TechEmailIn{{Email: "ops@example.com"}},
		StaticIps:             &[]string{},
		UserConfig:            &map[string]any{},
	})
	check("ServiceCreate primary", err)
	createdPort := fmt.Sprint(created.ServiceUriParams["port"])
	port, _ := strconv.Atoi(createdPort)
	expect("the create answer has the final port", port > 0)

	prim := waitRunning(ctx, client, project, "go-prim", true)
	expect("maintenance is set", prim.Maintenance != nil && prim.Maintenance.Dow == "sunday" && prim.Maintenance.Time == at)
	expect("connection_info has valkey URIs and password", prim.ConnectionInfo != nil && len(prim.ConnectionInfo.Valkey) == 1 && prim.ConnectionInfo.ValkeyPassword != nil)
	expect("the port stayed what create said", prim.ServiceUriParams["port"] == createdPort)
	expect("tech_emails came back", len(prim.TechEmails) == 1 && prim.TechEmails[0].Email == "ops@example.com")
	expect("disk_space_mb is set", prim.DiskSpaceMb != nil && *prim.DiskSpaceMb > 0)
	expect("a user with a password", len(prim.Users) == 1 && prim.Users[0].Password != "")
	expect("a component with a port", len(prim.Components) == 1 && prim.Components[0].Port == port)

	backups, err := client.ServiceBackupsGet(ctx, project, "go-prim")
	check("ServiceBackupsGet", err)
	expect("one backup with a storage location", len(backups.Backups) == 1 && backups.Backups[0].StorageLocation != nil)

	check("ProjectServiceTagsReplace", client.ProjectServiceTagsReplace(ctx, project, "go-prim", &service.ProjectServiceTagsReplaceIn{Tags: map[string]string{"team": "cache"}}))
	tags, err := client.ProjectServiceTagsList(ctx, project, "go-prim")
	check("ProjectServiceTagsList", err)
	expect("the tags came back", tags["team"] == "cache")

	_, err = client.ServiceCreate(ctx, project, &service.ServiceCreateIn{
		Plan:        "startup-4",
		ServiceName: "go-rep",
		ServiceType: "valkey",
		ServiceIntegrations: &[]service.ServiceIntegrationIn{{
			IntegrationType: service.IntegrationTypeReadReplica,
			SourceService:   ptr("go-prim"),
		}},
	})
	check("ServiceCreate replica", err)
	rep := waitRunning(ctx, client, project, "go-rep", false)
	links, err := client.ServiceIntegrationList(ctx, project, "go-rep")
	check("ServiceIntegrationList", err)
	expect("the replica has one read_replica integration", len(links) == 1 && links[0].IntegrationType == service.IntegrationTypeReadReplica && links[0].ServiceIntegrationId != "")
	expect("the service shows it too", len(rep.ServiceIntegrations) == 1)
	id := links[0].ServiceIntegrationId
	got, err := client.ServiceIntegrationGet(ctx, project, id)
	check("ServiceIntegrationGet", err)
	expect("source and destination", got.SourceService == "go-prim" && got.DestService != nil && *got.DestService == "go-rep")
	_, err = client.ServiceIntegrationUpdate(ctx, project, id, &service.ServiceIntegrationUpdateIn{UserConfig: map[string]any{}})
	check("ServiceIntegrationUpdate", err)

	check("ServiceIntegrationDelete (promotion)", client.ServiceIntegrationDelete(ctx, project, id))
	promoted := waitRunning(ctx, client, project, "go-rep", false)
	expect("the promoted replica is standalone", len(promoted.ServiceIntegrations) == 0)

	check("ServiceDelete replica", client.ServiceDelete(ctx, project, "go-rep"))
	check("ServiceDelete primary", client.ServiceDelete(ctx, project, "go-prim"))
	_, err = client.ServiceGet(ctx, project, "go-prim")
	expect("a deleted service is a 404", avngen.IsNotFound(err))
	fmt.Println("ok: all checks passed")
}

// As the provider waits: RUNNING on consecutive reads, and a primary's first backup.
func waitRunning(ctx context.Context, client avngen.Client, project, name string, backup bool) *service.ServiceGetOut {
	streak := 0
	for {
		s, err := client.ServiceGet(ctx, project, name, service.ServiceGetIncludeSecrets(true))
		check("ServiceGet "+name, err)
		if s.State == service.ServiceStateTypeRunning && (!backup || len(s.Backups) > 0) {
			streak++
			if streak == 5 {
				return s
			}
		} else {
			streak = 0
		}
		select {
		case <-ctx.Done():
			fail("timed out waiting for " + name)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func ptr[T any](v T) *T { return &v }

func check(what string, err error) {
	if err != nil {
		fail(what + ": " + err.Error())
	}
	fmt.Println("ok:", what)
}

func expect(what string, ok bool) {
	if !ok {
		fail(what)
	}
	fmt.Println("ok:", what)
}

func fail(why string) {
	fmt.Println("FAILED:", why)
	os.Exit(1)
}
