(name, model) => {
  const sure = name && confirm('Supprimer « ' + name + ' » de l’index et du dossier des documents ?');
  return [sure ? name : '', model];
}
