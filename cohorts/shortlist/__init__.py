"""The shortlist: a run scores and ranks a call's submitted applications (services, scores, ranking),
stores every application's place (snapshot), is locked by an organiser in the admin (admin) and
tells the founders of the shortlisted startups (mail)."""
