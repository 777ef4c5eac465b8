package session

import "testing"

// Events before session.start carry the requested name, later ones session.start's agent,
// and an event naming its own agent keeps it.
func TestStampAgent(t *testing.T) {
	var got []Event
	s := StampAgent(SinkFunc(func(e Event) { got = append(got, e) }), "junior-analyst")
	start := &AgentRef{Name: "junior-analyst", ClientID: "junior-analyst", Organization: "acme-corp"}
	finish := &AgentRef{Name: "Junior Analyst", ClientID: "junior-analyst", ID: "agt_2c81"}
	for _, e := range []Event{{Kind: KindAuthToken}, {Kind: KindSessionStart, Agent: start}, {Kind: KindPrompt}, {Kind: KindSessionFinish, Agent: finish}, {Kind: KindRequestFinish}} {
		s.Emit(e)
	}
	want := []AgentRef{{Name: "junior-analyst"}, *start, *start, *finish, *start}
	for i, e := range got {
		if e.Agent == nil || *e.Agent != want[i] {
			t.Errorf("event %d (%s): agent %+v, want %+v", i, e.Kind, e.Agent, want[i])
		}
	}
	if got[2].Agent == got[4].Agent {
		t.Error("two events share one AgentRef: a sink changing one would change the other")
	}
}
