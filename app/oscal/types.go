package oscal

// The OSCAL 1.1.3 JSON structures Zonewalk writes: only the fields it
// fills. Field order is OSCAL's, so encoding/json writes keys in a fixed
// order; empty optional arrays are omitted because OSCAL arrays must hold
// at least one item.

type document struct {
	Catalog           *catalog           `json:"catalog,omitempty"`
	AssessmentResults *assessmentResults `json:"assessment-results,omitempty"`
	POAM              *poam              `json:"plan-of-action-and-milestones,omitempty"`
}

type prop struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Class string `json:"class,omitempty"`
	Value string `json:"value"`
}

type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
	Text string `json:"text,omitempty"`
}

type metadata struct {
	Title              string             `json:"title"`
	LastModified       string             `json:"last-modified"`
	Version            string             `json:"version"`
	OSCALVersion       string             `json:"oscal-version"`
	Props              []prop             `json:"props,omitempty"`
	Roles              []role             `json:"roles,omitempty"`
	Parties            []party            `json:"parties,omitempty"`
	ResponsibleParties []responsibleParty `json:"responsible-parties,omitempty"`
	Remarks            string             `json:"remarks,omitempty"`
}

type role struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type party struct {
	UUID string `json:"uuid"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

type responsibleParty struct {
	RoleID     string   `json:"role-id"`
	PartyUUIDs []string `json:"party-uuids"`
}

type backMatter struct {
	Resources []resource `json:"resources"`
}

type resource struct {
	UUID        string  `json:"uuid"`
	Title       string  `json:"title,omitempty"`
	Description string  `json:"description,omitempty"`
	Props       []prop  `json:"props,omitempty"`
	RLinks      []rlink `json:"rlinks,omitempty"`
	Remarks     string  `json:"remarks,omitempty"`
}

type rlink struct {
	Href      string `json:"href"`
	MediaType string `json:"media-type,omitempty"`
	Hashes    []hash `json:"hashes,omitempty"`
}

type hash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// Catalog.

type catalog struct {
	UUID     string   `json:"uuid"`
	Metadata metadata `json:"metadata"`
	Groups   []group  `json:"groups,omitempty"`
}

type group struct {
	ID       string    `json:"id,omitempty"`
	Class    string    `json:"class,omitempty"`
	Title    string    `json:"title"`
	Props    []prop    `json:"props,omitempty"`
	Parts    []part    `json:"parts,omitempty"`
	Groups   []group   `json:"groups,omitempty"`
	Controls []control `json:"controls,omitempty"`
}

type control struct {
	ID    string `json:"id"`
	Class string `json:"class,omitempty"`
	Title string `json:"title"`
	Props []prop `json:"props,omitempty"`
	Parts []part `json:"parts,omitempty"`
}

type part struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Prose string `json:"prose,omitempty"`
}

// Assessment results.

type assessmentResults struct {
	UUID       string      `json:"uuid"`
	Metadata   metadata    `json:"metadata"`
	ImportAP   importRef   `json:"import-ap"`
	Results    []result    `json:"results"`
	BackMatter *backMatter `json:"back-matter,omitempty"`
}

type importRef struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type result struct {
	UUID             string           `json:"uuid"`
	Title            string           `json:"title"`
	Description      string           `json:"description"`
	Start            string           `json:"start"`
	End              string           `json:"end,omitempty"`
	Props            []prop           `json:"props,omitempty"`
	LocalDefinitions *localDefs       `json:"local-definitions,omitempty"`
	ReviewedControls reviewedControls `json:"reviewed-controls"`
	Observations     []observation    `json:"observations,omitempty"`
	Risks            []risk           `json:"risks,omitempty"`
	Findings         []finding        `json:"findings,omitempty"`
}

type localDefs struct {
	Components     []component     `json:"components,omitempty"`
	InventoryItems []inventoryItem `json:"inventory-items,omitempty"`
}

type component struct {
	UUID        string          `json:"uuid"`
	Type        string          `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Props       []prop          `json:"props,omitempty"`
	Links       []link          `json:"links,omitempty"`
	Status      componentStatus `json:"status"`
}

type componentStatus struct {
	State string `json:"state"`
}

type inventoryItem struct {
	UUID                  string            `json:"uuid"`
	Description           string            `json:"description"`
	Props                 []prop            `json:"props,omitempty"`
	Links                 []link            `json:"links,omitempty"`
	ImplementedComponents []implementedComp `json:"implemented-components,omitempty"`
	Remarks               string            `json:"remarks,omitempty"`
}

type implementedComp struct {
	ComponentUUID string `json:"component-uuid"`
}

type reviewedControls struct {
	Description       string             `json:"description,omitempty"`
	ControlSelections []controlSelection `json:"control-selections"`
}

type controlSelection struct {
	Description     string          `json:"description,omitempty"`
	IncludeControls []selectControl `json:"include-controls,omitempty"`
}

type selectControl struct {
	ControlID string `json:"control-id"`
}

type observation struct {
	UUID             string        `json:"uuid"`
	Title            string        `json:"title,omitempty"`
	Description      string        `json:"description"`
	Props            []prop        `json:"props,omitempty"`
	Methods          []string      `json:"methods"`
	Types            []string      `json:"types,omitempty"`
	Subjects         []subjectRef  `json:"subjects,omitempty"`
	RelevantEvidence []evidenceRef `json:"relevant-evidence,omitempty"`
	Collected        string        `json:"collected"`
	Remarks          string        `json:"remarks,omitempty"`
}

type subjectRef struct {
	SubjectUUID string `json:"subject-uuid"`
	Type        string `json:"type"`
	Title       string `json:"title,omitempty"`
}

type evidenceRef struct {
	Href        string `json:"href"`
	Description string `json:"description"`
}

type risk struct {
	UUID                string             `json:"uuid"`
	Title               string             `json:"title"`
	Description         string             `json:"description"`
	Statement           string             `json:"statement"`
	Props               []prop             `json:"props,omitempty"`
	Status              string             `json:"status"`
	Characterizations   []characterization `json:"characterizations,omitempty"`
	Deadline            string             `json:"deadline,omitempty"`
	Remediations        []response         `json:"remediations,omitempty"`
	RelatedObservations []relatedObs       `json:"related-observations,omitempty"`
}

type characterization struct {
	Origin origin  `json:"origin"`
	Facets []facet `json:"facets"`
}

type origin struct {
	Actors []actor `json:"actors"`
}

type actor struct {
	Type      string `json:"type"`
	ActorUUID string `json:"actor-uuid"`
}

type facet struct {
	Name   string `json:"name"`
	System string `json:"system"`
	Value  string `json:"value"`
}

type response struct {
	UUID        string `json:"uuid"`
	Lifecycle   string `json:"lifecycle"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type relatedObs struct {
	ObservationUUID string `json:"observation-uuid"`
}

type relatedRisk struct {
	RiskUUID string `json:"risk-uuid"`
}

type relatedFinding struct {
	FindingUUID string `json:"finding-uuid"`
}

type finding struct {
	UUID                string        `json:"uuid"`
	Title               string        `json:"title"`
	Description         string        `json:"description"`
	Props               []prop        `json:"props,omitempty"`
	Target              target        `json:"target"`
	RelatedObservations []relatedObs  `json:"related-observations,omitempty"`
	RelatedRisks        []relatedRisk `json:"related-risks,omitempty"`
	Remarks             string        `json:"remarks,omitempty"`
}

type target struct {
	Type     string       `json:"type"`
	TargetID string       `json:"target-id"`
	Title    string       `json:"title,omitempty"`
	Status   targetStatus `json:"status"`
}

type targetStatus struct {
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

// POA&M.

type poam struct {
	UUID             string        `json:"uuid"`
	Metadata         metadata      `json:"metadata"`
	LocalDefinitions *localDefs    `json:"local-definitions,omitempty"`
	Observations     []observation `json:"observations,omitempty"`
	Risks            []risk        `json:"risks,omitempty"`
	Findings         []finding     `json:"findings,omitempty"`
	POAMItems        []poamItem    `json:"poam-items"`
	BackMatter       *backMatter   `json:"back-matter,omitempty"`
}

type poamItem struct {
	UUID                string           `json:"uuid"`
	Title               string           `json:"title"`
	Description         string           `json:"description"`
	Props               []prop           `json:"props,omitempty"`
	RelatedFindings     []relatedFinding `json:"related-findings,omitempty"`
	RelatedObservations []relatedObs     `json:"related-observations,omitempty"`
	RelatedRisks        []relatedRisk    `json:"related-risks,omitempty"`
}
