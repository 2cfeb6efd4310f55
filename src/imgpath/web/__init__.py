"""The web app: the applicant's dashboard and the advisor's workspace (``create_app``)."""
